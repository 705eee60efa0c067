"""CSV export of partners and the contact log, and CSV import of organisations and persons.

Files are UTF-8 with a byte order mark and semicolons, which is what Excel with Dutch regional
settings opens correctly (accents intact, one value per column). The column names are fixed Dutch
words whatever the interface language, so an exported file can always be imported again.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partners import services
from partners.models import (
    ContactMoment,
    KvuRole,
    Organisation,
    OrganisationKind,
    Participation,
    Person,
    Stage,
    default_role_for,
    kvk_validator,
    postcode_validator,
)

ORGANISATION_COLUMNS = {
    "organisatie": "name",
    "soort": "kind",
    "kvk_nummer": "kvk_number",
    "adres": "address",
    "postcode": "postcode",
    "plaats": "city",
    "website": "website",
    "email": "email",
    "telefoon": "phone",
    "notities": "notes",
}
PARTICIPATION_COLUMNS = {"fase": "stage", "rol": "role"}
PERSON_COLUMNS = {
    "contactpersoon": "name",
    "functie": "function",
    "email_contactpersoon": "email",
    "telefoon_contactpersoon": "phone",
    "notities_contactpersoon": "notes",
}
PARTNER_HEADER = [*ORGANISATION_COLUMNS, *PARTICIPATION_COLUMNS, *PERSON_COLUMNS]
CONTACT_HEADER = [
    "datum",
    "tijd",
    "partner",
    "kanaal",
    "richting",
    "gesproken_met",
    "vastgelegd_door",
    "besproken",
    "uitkomst",
    "opvolgen_op",
    "opvolging_afgerond",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_LENGTHS = {"name": 200, "address": 200, "city": 100, "phone": 30, "function": 150}


def _safe(value) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    # OWASP: every cell that starts with one of these characters, "+1+cmd|..." included.
    if text[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def _unsafe(text: str) -> str:
    if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(value) for value in row])
    return response


def export_partners(project) -> HttpResponse:
    """One row per contact person; an organisation without persons gets one row of its own."""
    participations = (
        Participation.objects.filter(project=project)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("organisation__persons", queryset=Person.objects.order_by("name", "pk"))
        )
        .order_by("organisation__name", "pk")
    )

    def rows():
        for participation in participations:
            org = participation.organisation
            base = [
                org.name,
                org.get_kind_display(),
                org.kvk_number,
                org.address,
                org.postcode,
                org.city,
                org.website,
                org.email,
                org.phone,
                org.notes,
                participation.get_stage_display(),
                participation.get_role_display(),
            ]
            persons = list(org.persons.all())
            if not persons:
                yield base + [""] * len(PERSON_COLUMNS)
            for person in persons:
                contact = [person.name, person.function, person.email, person.phone, person.notes]
                yield [*base, *contact]

    date = timezone.localdate().isoformat()
    return _csv_response(f"partners-{project.pk}-{date}.csv", PARTNER_HEADER, rows())


def export_contact_log(project, moments) -> HttpResponse:
    moments = moments.select_related("participation__organisation", "recorded_by").prefetch_related(
        "persons"
    )

    def rows():
        for moment in moments:
            when = timezone.localtime(moment.occurred_at)
            user = moment.recorded_by
            yield [
                when.date().isoformat(),
                when.strftime("%H:%M"),
                moment.participation.organisation.name,
                moment.get_channel_display(),
                moment.get_direction_display(),
                ", ".join(person.name for person in moment.persons.all()),
                (user.get_full_name() or user.username) if user else "",
                moment.summary,
                moment.outcome,
                moment.follow_up_on.isoformat() if moment.follow_up_on else "",
                _("yes") if moment.follow_up_done else (_("no") if moment.follow_up_on else ""),
            ]

    date = timezone.localdate().isoformat()
    return _csv_response(f"logboek-{project.pk}-{date}.csv", CONTACT_HEADER, rows())


def _choice_lookup(choices_class) -> dict[str, str]:
    """Accept the stored value and the Dutch and English labels, in any case."""
    lookup = {}
    for language in ("nl", "en"):
        with translation.override(language):
            for value, label in choices_class.choices:
                lookup[str(label).strip('“”"').lower()] = value
                lookup[value.lower()] = value
                # "horecaondernemer" for "horecaondernemer (café, club, restaurant)"
                lookup[str(label).split(" (")[0].strip('“”"').lower()] = value
    return lookup


@dataclass
class ImportRow:
    number: int
    organisation: dict = field(default_factory=dict)
    participation: dict = field(default_factory=dict)
    person: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    existing: Organisation | None = None
    existing_person: Person | None = None
    in_project: bool = False

    @property
    def action(self) -> str:
        if self.existing:
            return _("update “%(name)s”") % {"name": self.existing.name}
        return _("new organisation")


@dataclass
class ImportPlan:
    rows: list[ImportRow]
    errors: list[str]

    @property
    def is_valid(self) -> bool:
        return not self.errors and not any(row.errors for row in self.rows)

    @property
    def faulty_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]


def _read(content: str) -> tuple[list[str], list[list[str]]]:
    first_line = content.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=delimiter)
    lines = list(reader)
    if not lines:
        return [], []
    return [column.strip().lower() for column in lines[0]], lines[1:]


def plan_import(*, project, content: str) -> ImportPlan:
    """Read and check every row; nothing is written. Messages are in the active language."""
    try:
        header, lines = _read(content)
    except csv.Error as exc:
        return ImportPlan(rows=[], errors=[_("The file cannot be read as CSV: %s") % exc])
    if "organisatie" not in header:
        return ImportPlan(
            rows=[],
            errors=[_("The first row must hold the column names, with at least “organisatie”.")],
        )
    organisations = {
        org.kvk_number or f"name:{org.name}": org
        for org in Organisation.objects.filter(municipality=project.municipality)
    }
    by_name = {org.name: org for org in organisations.values()}
    by_kvk = {org.kvk_number: org for org in organisations.values() if org.kvk_number}
    in_project = set(
        Participation.objects.filter(project=project).values_list("organisation_id", flat=True)
    )
    persons = {
        (person.organisation_id, person.name): person
        for person in Person.objects.filter(organisation__municipality=project.municipality)
    }
    kinds = _choice_lookup(OrganisationKind)
    stages = _choice_lookup(Stage)
    roles = _choice_lookup(KvuRole)
    email = EmailValidator()
    url = URLValidator()

    rows = []
    seen_kvk_names: dict[str, str] = {}
    for index, values in enumerate(lines, start=2):
        if not any(value.strip() for value in values):
            continue
        cells = {
            column: _unsafe(values[i].strip()) if i < len(values) else ""
            for i, column in enumerate(header)
        }
        row = ImportRow(number=index)
        for column, attr in ORGANISATION_COLUMNS.items():
            if cells.get(column):
                row.organisation[attr] = cells[column]
        for column, attr in PARTICIPATION_COLUMNS.items():
            if cells.get(column):
                row.participation[attr] = cells[column]
        for column, attr in PERSON_COLUMNS.items():
            if cells.get(column):
                row.person[attr] = cells[column]
        org, person = row.organisation, row.person

        if not org.get("name"):
            row.errors.append(_("the organisation's name is missing"))
        if "kvk_number" in org:
            org["kvk_number"] = org["kvk_number"].replace(" ", "").replace(".", "")
            try:
                kvk_validator(org["kvk_number"])
            except ValidationError:
                row.errors.append(
                    _("KvK number “%(value)s” does not have exactly eight digits")
                    % {"value": org["kvk_number"]}
                )
        if "postcode" in org:
            try:
                postcode_validator(org["postcode"])
                compact = org["postcode"].replace(" ", "").upper()
                org["postcode"] = f"{compact[:4]} {compact[4:]}"
            except ValidationError:
                row.errors.append(
                    _("postcode “%(value)s” is not a Dutch postcode (like 7511 HN)")
                    % {"value": org["postcode"]}
                )
        if "kind" in org:
            kind = kinds.get(org["kind"].lower())
            if kind:
                org["kind"] = kind
            else:
                row.errors.append(_("unknown kind “%(value)s”") % {"value": org["kind"]})
        for key, lookup, message in (
            ("stage", stages, _("unknown stage “%(value)s”")),
            ("role", roles, _("unknown role “%(value)s”")),
        ):
            if key in row.participation:
                value = lookup.get(row.participation[key].lower())
                if value:
                    row.participation[key] = value
                else:
                    row.errors.append(message % {"value": row.participation[key]})
        for data, key, label in (
            (org, "email", _("e-mail address")),
            (person, "email", _("e-mail address of the contact person")),
        ):
            if key in data:
                try:
                    email(data[key])
                except ValidationError:
                    row.errors.append(
                        _("%(label)s “%(value)s” is not valid")
                        % {"label": label, "value": data[key]}
                    )
        if "website" in org:
            if "://" not in org["website"]:
                org["website"] = "https://" + org["website"]
            try:
                url(org["website"])
            except ValidationError:
                row.errors.append(_("website “%(value)s” is not valid") % {"value": org["website"]})
        for data in (org, person):
            for key, limit in MAX_LENGTHS.items():
                if len(data.get(key, "")) > limit:
                    row.errors.append(
                        _("“%(value)s…” is longer than %(limit)s characters")
                        % {"value": data[key][:20], "limit": limit}
                    )

        # Match on KvK number first, then on the exact name: update, never duplicate.
        if org.get("kvk_number") and org["kvk_number"] in by_kvk:
            row.existing = by_kvk[org["kvk_number"]]
        elif org.get("name") in by_name:
            row.existing = by_name[org["name"]]
            existing_kvk = row.existing.kvk_number
            if org.get("kvk_number") and existing_kvk and existing_kvk != org["kvk_number"]:
                row.errors.append(
                    _("“%(name)s” already exists with KvK number %(kvk)s, not %(value)s")
                    % {"name": org["name"], "kvk": existing_kvk, "value": org["kvk_number"]}
                )
        if not row.existing and org.get("name") and "kind" not in org:
            row.errors.append(_("the kind of organisation is missing for a new organisation"))
        if org.get("kvk_number") and org.get("name"):
            # Two different organisations in one file with the same KvK number.
            other = seen_kvk_names.setdefault(org["kvk_number"], org["name"])
            if other != org["name"]:
                row.errors.append(
                    _("KvK number %(kvk)s is also used for “%(name)s” in this file")
                    % {"kvk": org["kvk_number"], "name": other}
                )
        if row.existing:
            row.in_project = row.existing.pk in in_project
            if person.get("name"):
                row.existing_person = persons.get((row.existing.pk, person["name"]))
        rows.append(row)
    errors = [] if rows else [_("The file has no rows to import.")]
    return ImportPlan(rows=rows, errors=errors)


def row_message(row: ImportRow) -> str:
    return _("Row %(number)s: %(problems)s.") % {
        "number": row.number,
        "problems": "; ".join(row.errors),
    }


@transaction.atomic
def apply_import(*, project, plan: ImportPlan, user) -> dict[str, int]:
    """Write a valid plan: all rows or, when anything is wrong, none."""
    if not plan.is_valid:
        raise ValueError("import plan has errors")
    counts = {"created": 0, "updated": 0, "persons": 0, "added": 0}
    done: dict[str, Organisation] = {}
    for row in plan.rows:
        key = row.organisation.get("kvk_number") or f"name:{row.organisation['name']}"
        org = done.get(key) or row.existing
        if org is None:
            org = Organisation(municipality=project.municipality, **row.organisation)
            org.full_clean()
            org.save()
            counts["created"] += 1
        elif key not in done:
            for attr, value in row.organisation.items():
                setattr(org, attr, value)
            org.full_clean()
            org.save()
            counts["updated"] += 1
        done[key] = org
        if not Participation.objects.filter(project=project, organisation=org).exists():
            services.add_participation(
                project=project,
                organisation=org,
                user=user,
                role=row.participation.get("role") or default_role_for(org.kind),
                stage=row.participation.get("stage", Stage.NOT_APPROACHED),
            )
            counts["added"] += 1
        if row.person.get("name"):
            person = Person.objects.filter(organisation=org, name=row.person["name"]).first()
            if person is None:
                person = Person(organisation=org)
            for attr, value in row.person.items():
                setattr(person, attr, value)
            person.full_clean()
            person.save()
            counts["persons"] += 1
    return counts


def contact_moments_for_export(project):
    return ContactMoment.objects.of_project(project).order_by("-occurred_at", "-pk")
