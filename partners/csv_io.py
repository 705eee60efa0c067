"""CSV export of partners and the contact log, and CSV import of organisations and persons.

Files are UTF-8 with a byte order mark and semicolons, which is what Excel with Dutch regional
settings opens correctly (accents intact, one value per column). The column names are fixed Dutch
words whatever the interface language, so an exported file can always be imported again.
"""

import copy
import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partners import services
from partners.forms import NewPartnerForm, PersonForm
from partners.models import (
    ContactMoment,
    CsvImport,
    KvuRole,
    Organisation,
    OrganisationKind,
    Participation,
    Person,
    Stage,
    default_role_for,
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
PROGRESS_EVERY = 500
# Each row is checked through two forms, a few milliseconds a row: a larger file gets no preview
# (it would outlast the request) and is checked by the import task only.
PREVIEW_MAX_ROWS = 2000


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
    # (from, to) when the file moves a partner of this project to another stage.
    stage_change: tuple[str, str] | None = None

    @property
    def action(self) -> str:
        if self.existing:
            return _("update “%(name)s”") % {"name": self.existing.name}
        return _("new organisation")

    @property
    def stage_change_text(self) -> str:
        if not self.stage_change:
            return ""
        from_stage, to_stage = (Stage(value).label for value in self.stage_change)
        return _("stage: %(from)s -> %(to)s") % {"from": from_stage, "to": to_stage}


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


def count_rows(content: str) -> int:
    """The rows below the header that hold anything, read without checking them."""
    try:
        _header, lines = _read(content)
    except csv.Error:
        return 0
    return sum(1 for values in lines if any(value.strip() for value in values))


def _messages(form, columns: dict[str, str]) -> list[str]:
    """A form's messages, each named by its CSV column and the value the file gave."""
    column_of = {attr: column for column, attr in columns.items()}
    messages = []
    for name, errors in form.errors.items():
        column = column_of.get(name) or str(form.fields[name].label if name in form.fields else "")
        value = str(form.data.get(name) or "") if name in column_of else ""
        if len(value) > 40:
            value = value[:40] + "…"
        for error in errors:
            error = error.rstrip(".")
            if value:
                message = _("%(column)s “%(value)s”: %(message)s") % {
                    "column": column,
                    "value": value,
                    "message": error,
                }
            elif column:
                message = _("%(column)s: %(message)s") % {"column": column, "message": error}
            else:
                message = error
            messages.append(message)
    return messages


def _form_data(form_class, existing, *values: dict) -> dict:
    """The stored values of `existing` (if any) for the form's fields, with the file's over them."""
    data = model_to_dict(existing, fields=form_class._meta.fields) if existing else {}
    for part in values:
        data.update(part)
    return data


def _take_cleaned(form, row: ImportRow, targets: list[dict], columns: dict[str, str]) -> None:
    """The form's cleaned values replace the file's; or the form's messages join the row's."""
    if form.is_valid():
        for target in targets:
            for attr in target:
                target[attr] = form.cleaned_data[attr]
    else:
        row.errors.extend(_messages(form, columns))


def _check_stage(row: ImportRow, given: str) -> None:
    """An unknown stage is named with the stages the file may use, and left out of the form."""
    if row.participation.get("stage") in Stage.values:
        return
    del row.participation["stage"]
    row.errors.append(
        _("fase “%(value)s” is not a stage; use one of: %(stages)s")
        % {"value": given[:40], "stages": ", ".join(str(label) for label in Stage.labels)}
    )


def _check_with_forms(row: ImportRow, municipality) -> None:
    """Validate the row through the forms of the pages: the same rules, the same messages.

    An existing organisation or person keeps what the file leaves out, so the form gets the
    stored values with the file's values over them. The cleaned values replace the file's
    (postcode "7511hn" becomes "7511 HN", a website gets its https://). The instances are
    copies: validating sets the file's values on them, and the preview shows the stored name.
    """
    data = _form_data(NewPartnerForm, row.existing, row.organisation, row.participation)
    data.setdefault("stage", Stage.NOT_APPROACHED)
    instance = copy.copy(row.existing) if row.existing else Organisation(municipality=municipality)
    form = NewPartnerForm(data, instance=instance, municipality=municipality)
    columns = {**ORGANISATION_COLUMNS, **PARTICIPATION_COLUMNS}
    _take_cleaned(form, row, [row.organisation, row.participation], columns)
    if row.person:
        data = _form_data(PersonForm, row.existing_person, row.person)
        instance = copy.copy(row.existing_person) if row.existing_person else Person()
        _take_cleaned(PersonForm(data, instance=instance), row, [row.person], PERSON_COLUMNS)


def plan_import(*, project, content: str, progress=None) -> ImportPlan:
    """Read and check every row; nothing is written. Messages are in the active language.

    `progress(rows_done, rows_total, faulty_rows)` is called every PROGRESS_EVERY rows and once
    at the end, so that a background import can show how far it is.
    """
    try:
        header, lines = _read(content)
    except csv.Error as exc:
        return ImportPlan(rows=[], errors=[_("The file cannot be read as CSV: %s") % exc])
    if "organisatie" not in header:
        return ImportPlan(
            rows=[],
            errors=[_("The first row must hold the column names, with at least “organisatie”.")],
        )
    organisations = list(Organisation.objects.filter(municipality=project.municipality))
    by_name = {org.name: org for org in organisations}
    by_kvk = {org.kvk_number: org for org in organisations if org.kvk_number}
    stage_in_project = dict(
        Participation.objects.filter(project=project).values_list("organisation_id", "stage")
    )
    persons = {
        (person.organisation_id, person.name): person
        for person in Person.objects.filter(organisation__municipality=project.municipality)
    }
    # The file may name a choice by its Dutch or English label; the form checks the value.
    lookups = {
        "kind": _choice_lookup(OrganisationKind),
        "stage": _choice_lookup(Stage),
        "role": _choice_lookup(KvuRole),
    }

    rows = []
    faulty = 0
    seen_kvk_names: dict[str, str] = {}
    # The stage the file first gives an organisation, and in which row: two rows must agree.
    seen_stages: dict[str, tuple[str, int]] = {}
    for index, values in enumerate(lines, start=2):
        if progress and (index - 2) % PROGRESS_EVERY == 0 and index > 2:
            progress(index - 2, len(lines), faulty)
        if not any(value.strip() for value in values):
            continue
        cells = {
            column: _unsafe(values[i].strip()) if i < len(values) else ""
            for i, column in enumerate(header)
        }
        row = ImportRow(number=index)
        for target, columns in (
            (row.organisation, ORGANISATION_COLUMNS),
            (row.participation, PARTICIPATION_COLUMNS),
            (row.person, PERSON_COLUMNS),
        ):
            for column, attr in columns.items():
                if cells.get(column):
                    target[attr] = cells[column]
        org = {**row.organisation}
        for data in (row.organisation, row.participation):
            for key, lookup in lookups.items():
                if key in data:
                    data[key] = lookup.get(data[key].lower(), data[key])
        if "kvk_number" in org:
            # Spreadsheets show a KvK number grouped ("1234 5678", "1234.5678").
            org["kvk_number"] = org["kvk_number"].replace(" ", "").replace(".", "")
            row.organisation["kvk_number"] = org["kvk_number"]

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
        if org.get("kvk_number") and org.get("name"):
            # Two different organisations in one file with the same KvK number.
            other = seen_kvk_names.setdefault(org["kvk_number"], org["name"])
            if other != org["name"]:
                row.errors.append(
                    _("KvK number %(kvk)s is also used for “%(name)s” in this file")
                    % {"kvk": org["kvk_number"], "name": other}
                )
        if "stage" in row.participation:
            _check_stage(row, cells["fase"])
        stage = row.participation.get("stage")
        if stage and org.get("name"):
            key = org.get("kvk_number") or f"name:{org['name']}"
            first_stage, first_row = seen_stages.setdefault(key, (stage, index))
            if first_stage != stage:
                row.errors.append(
                    _("fase “%(value)s”: row %(row)s gives this organisation stage “%(other)s”")
                    % {"value": cells["fase"], "row": first_row, "other": Stage(first_stage).label}
                )
        if row.existing:
            row.in_project = row.existing.pk in stage_in_project
            current = stage_in_project.get(row.existing.pk)
            if row.in_project and stage and stage != current:
                row.stage_change = (current, stage)
            if row.person.get("name"):
                row.existing_person = persons.get((row.existing.pk, row.person["name"]))
        _check_with_forms(row, project.municipality)
        faulty += bool(row.errors)
        rows.append(row)
    if progress:
        progress(len(lines), len(lines), faulty)
    errors = [] if rows else [_("The file has no rows to import.")]
    return ImportPlan(rows=rows, errors=errors)


def row_message(row: ImportRow) -> str:
    return _("Row %(number)s: %(problems)s.") % {
        "number": row.number,
        "problems": "; ".join(row.errors),
    }


@transaction.atomic
def apply_import(*, project, plan: ImportPlan, user) -> dict[str, int]:
    """Write a valid plan: all rows or, when anything is wrong, none.

    Every row was checked through the forms when the plan was made; the database's constraints
    refuse what changed since (a KvK number taken in the meantime), and that undoes all rows.
    """
    if not plan.is_valid:
        raise ValueError("import plan has errors")
    counts = {"created": 0, "updated": 0, "persons": 0, "added": 0, "stages": 0}
    done: dict[str, Organisation] = {}
    participations = {
        participation.organisation_id: participation
        for participation in Participation.objects.filter(project=project)
    }
    in_project = set(participations)
    persons: dict[tuple[int, str], Person] = {}
    for row in plan.rows:
        key = row.organisation.get("kvk_number") or f"name:{row.organisation['name']}"
        org = done.get(key) or row.existing
        if org is None:
            org = Organisation(municipality=project.municipality, **row.organisation)
            org.save()
            counts["created"] += 1
        elif key not in done:
            for attr, value in row.organisation.items():
                setattr(org, attr, value)
            org.save()
            counts["updated"] += 1
        done[key] = org
        if org.pk not in in_project:
            services.add_participation(
                project=project,
                organisation=org,
                user=user,
                role=row.participation.get("role") or default_role_for(org.kind),
                stage=row.participation.get("stage", Stage.NOT_APPROACHED),
            )
            in_project.add(org.pk)
            counts["added"] += 1
        elif row.stage_change and org.pk in participations:
            # The same move as on the board: in the partner's history and the audit trail.
            counts["stages"] += services.move_stage(
                participation=participations[org.pk],
                to_stage=row.stage_change[1],
                user=user,
                note=_("CSV import"),
            )
        if row.person.get("name"):
            person_key = (org.pk, row.person["name"])
            person = persons.get(person_key) or row.existing_person or Person(organisation=org)
            for attr, value in row.person.items():
                setattr(person, attr, value)
            person.save()
            persons[person_key] = person
            counts["persons"] += 1
    return counts


def contact_moments_for_export(project):
    return ContactMoment.objects.of_project(project).order_by("-occurred_at", "-pk")


def start_import(*, project, content: str, user):
    """Store a confirmed import and queue it; the task checks every row again and saves."""
    from partners import tasks

    csv_import = CsvImport.objects.create(
        project=project,
        content=content,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        created_by=user,
    )
    # With the database backend the queued task commits together with the import row.
    tasks.import_partners.enqueue(csv_import.pk)
    return csv_import
