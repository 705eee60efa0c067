"""What the partners app lets the search find (kvu/search): partners, contact persons, contact
moments, agreements and concerns, each linking to a page of its project."""

from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from kvu.search import RANK_WITHIN, Result, Source, matching
from partners.models import Agreement, Concern, ContactMoment, Participation, Person

# The fields each kind is found by; the migration (0013_search) indexes exactly these.
ORGANISATION_FIELDS = ["name", "city", "kvk_number"]
PERSON_FIELDS = ["name", "function", "email"]
CONTACT_FIELDS = ["summary", "outcome"]
AGREEMENT_FIELDS = ["text"]
CONCERN_FIELDS = ["partner_text", "response"]


def _short(text):
    return Truncator(" ".join(text.split())).chars(160)


def _partner_url(project_pk, participation_pk, anchor=""):
    return reverse("participation_detail", args=[project_pk, participation_pk]) + anchor


def find_partners(projects, text, limit):
    participations = (
        matching(
            Participation.objects.filter(project__in=projects),
            [f"organisation__{field}" for field in ORGANISATION_FIELDS],
            text,
            within=RANK_WITHIN,
        )
        .select_related("organisation", "project")
        .order_by("-search_rank", "organisation__name", "pk")[:limit]
    )
    return [
        Result(
            title=p.organisation.name,
            snippet=" · ".join(
                part
                for part in (p.organisation.city, p.organisation.kvk_number, p.get_stage_display())
                if part
            ),
            project=p.project.name,
            url=p.get_absolute_url(),
        )
        for p in participations
    ]


def find_persons(projects, text, limit):
    # One row per person and project its organisation takes part in (the annotations reuse
    # the filter's join, so each row names the participation that made it visible; for that
    # join, no `within`: a few persons per organisation).
    persons = (
        matching(
            Person.objects.filter(organisation__participations__project__in=projects),
            PERSON_FIELDS,
            text,
        )
        .annotate(
            participation_pk=F("organisation__participations__pk"),
            project_pk=F("organisation__participations__project_id"),
            project_name=F("organisation__participations__project__name"),
        )
        .select_related("organisation")
        .order_by("-search_rank", "name", "pk", "participation_pk")[:limit]
    )
    return [
        Result(
            title=person.name,
            snippet=" · ".join(
                part for part in (person.function, person.email, person.organisation.name) if part
            ),
            project=person.project_name,
            url=_partner_url(person.project_pk, person.participation_pk, "#persons-heading"),
        )
        for person in persons
    ]


def find_contacts(projects, text, limit):
    moments = (
        matching(
            ContactMoment.objects.filter(project__in=projects),
            CONTACT_FIELDS,
            text,
            within=RANK_WITHIN,
        )
        .select_related("participation__organisation", "project")
        .order_by("-search_rank", "-occurred_at", "-pk")[:limit]
    )
    return [
        Result(
            title=f"{m.participation.organisation.name}, "
            f"{date_format(localtime(m.occurred_at), 'SHORT_DATE_FORMAT')}",
            snippet=_short(f"{m.summary} {m.outcome}"),
            project=m.project.name,
            url=_partner_url(m.project_id, m.participation_id, f"#contact-{m.pk}"),
        )
        for m in moments
    ]


def find_agreements(projects, text, limit):
    # The page of its first partner shows an agreement; one made with no partner, the timeline.
    first_partner = Agreement.participations.through.objects.filter(
        agreement_id=OuterRef("pk")
    ).order_by("participation_id")[:1]
    agreements = (
        matching(
            Agreement.objects.filter(project__in=projects),
            AGREEMENT_FIELDS,
            text,
            within=RANK_WITHIN,
        )
        .annotate(
            partner_pk=Subquery(first_partner.values("participation_id")),
            partner_name=Subquery(first_partner.values("participation__organisation__name")),
        )
        .select_related("project")
        .order_by("-search_rank", "-date", "-pk")[:limit]
    )
    return [
        Result(
            title=Truncator(agreement.text).chars(80),
            snippet=" · ".join(
                part
                for part in (
                    date_format(agreement.date, "SHORT_DATE_FORMAT"),
                    agreement.partner_name,
                )
                if part
            ),
            project=agreement.project.name,
            url=_partner_url(agreement.project_id, agreement.partner_pk, "#agreements-heading")
            if agreement.partner_pk
            else reverse("timeline", args=[agreement.project_id]) + "?kinds=agreement",
        )
        for agreement in agreements
    ]


def find_concerns(projects, text, limit):
    concerns = (
        matching(
            Concern.objects.filter(participation__project__in=projects),
            CONCERN_FIELDS,
            text,
            within=RANK_WITHIN,
        )
        .select_related("participation__organisation", "participation__project")
        .order_by("-search_rank", "-created_at", "-pk")[:limit]
    )
    return [
        Result(
            title=f"{c.participation.organisation.name}: {c.get_kind_display()}",
            snippet=_short(f"{c.partner_text} {c.response}"),
            project=c.participation.project.name,
            url=_partner_url(c.participation.project_id, c.participation_id, "#concerns-heading"),
        )
        for c in concerns
    ]


SOURCES = [
    Source(10, "partners", _("Partners"), find_partners),
    Source(20, "persons", _("Contact persons"), find_persons),
    Source(30, "contacts", _("Contact moments"), find_contacts),
    Source(40, "agreements", _("Agreements"), find_agreements),
    Source(50, "concerns", _("Concerns"), find_concerns),
]
