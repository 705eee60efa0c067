"""Hypothesis throws generated input at every form of the project: never a server error, and
input that is refused changes nothing in the database.

Each case names the page where a form is shown and the URL it posts to; the field names are read
from the rendered form itself, so a field added later is fuzzed too. `test_every_form_is_fuzzed`
fails when a form class is added to the project without a case here.
"""

import inspect
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib import import_module
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.contrib.messages import constants, get_messages
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kvu.models import Project
from tests.factories import InboundMessageFactory

FORM_MODULES = [
    "kvu.forms",
    "kvu.documents",
    "kvu.guide_forms",
    "kvu.account_forms",
    "partners.forms",
    "partners.declaration.forms",
    "partners.workgroup.forms",
    "meetings.forms",
    "kvu.search.forms",  # Search (issue 18)
    "kvu.team.forms",  # Team (issue 18)
    "kvu.admin",  # Team (issue 18): the administrator's user form
    "partners.inbox.forms",  # Inbox of the contact log (issue 18)
    # -- analysis form modules (issue 20) --
    "analysis.surveys.forms",  # Surveys (issue 20)
    "analysis.profile.forms",  # area profile and key figures (issue 20)
    "analysis.sources.forms",  # sources (issue 20)
    "analysis.walkthrough.forms",  # Walk-throughs (issue 20)
    "analysis.report.forms",  # conclusions, knelpunten, the report (issue 20)
    # -- plan of approach form modules --
    "plans.plan.forms",  # the plan's texts, measures, adoption and sharing (CCV step 4)
    # -- covenant form modules --
    "plans.covenant.forms",  # the partners' commitments (CCV step 5)
]
PROJECT_APPS = ["kvu", "partners", "meetings", "analysis", "plans"]

# Values that have broken forms elsewhere: empty, huge, wrong types, markup, injection, foreign ids.
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "999999999999",
    "1e9",
    "GM12",
    "2026-02-30",
    "31-12-2026",
    "25:61",
    "null",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\x00",
    "ĳsselmeer ëé 🍺",
    "x" * 5000,
]


@dataclass(frozen=True)
class Case:
    page: str  # URL name of the page that shows the form
    action: str  # URL name the form posts to
    forms: tuple[str, ...]  # form classes this case covers
    kwargs: str = "project"  # which objects fill the URL arguments (see `_kwargs`)
    page_kwargs: str = ""  # arguments of the page, when they differ from the action's
    page_query: str = ""  # the page's query string, e.g. the guide of an earlier CCV step
    public: bool = False  # posted by a partner through the signing link, not a user
    staff: bool = False  # an admin form, posted by the administrator (issue 18)
    # Posted by this user instead of the Enschede project's leader: the demo's later CCV steps
    # (plan and covenant, issue 21) are Apeldoorn's.
    user: str = ""
    method: str = "post"


CASES = [
    Case("project_create", "project_create", ("kvu.forms.ProjectForm",), kwargs="none"),
    Case("project_edit", "project_edit", ("kvu.forms.ProjectForm",), kwargs="pk"),
    Case(
        "document_list",
        "document_upload",
        ("kvu.documents.DocumentForm",),
        kwargs="project_pk",
    ),
    Case(
        "guide",
        "guide_step",
        ("kvu.guide_forms.TickForm", "kvu.guide_forms.OverrideForm"),
        kwargs="step",
        page_kwargs="pk",
        # The manual step is in the preparatory phase's guide; the demo project is in step 3.
        page_query="stap=2",
    ),
    Case("gate", "gate", ("kvu.guide_forms.GateForm",), kwargs="pk"),
    Case("my_settings", "my_settings", ("kvu.account_forms.UserSettingsForm",), kwargs="none"),
    Case(
        "timeline", "timeline", ("kvu.guide_forms.TimelineFilterForm",), kwargs="pk", method="get"
    ),
    Case(
        "participation_add",
        "participation_add",
        ("partners.forms.AddParticipationForm", "partners.forms.NewPartnerForm"),
        kwargs="project_pk",
    ),
    Case(
        "participation_edit",
        "participation_edit",
        ("partners.forms.ParticipationForm",),
        kwargs="participation",
    ),
    Case(
        "participation_detail",
        "participation_stage",
        ("partners.forms.StageForm",),
        kwargs="participation",
    ),
    Case(
        "participation_detail",
        "contact_create",
        ("partners.forms.ContactMomentForm",),
        kwargs="participation",
    ),
    Case(
        "agreement_create",
        "agreement_create",
        ("partners.forms.AgreementForm",),
        kwargs="participation",
    ),
    Case("person_create", "person_create", ("partners.forms.PersonForm",), kwargs="participation"),
    Case(
        "organisation_edit",
        "organisation_edit",
        ("partners.forms.OrganisationForm",),
        kwargs="participation",
    ),
    Case("partner_import", "partner_import", ("partners.forms.ImportForm",), kwargs="project_pk"),
    Case(
        "declaration_edit",
        "declaration_edit",
        ("partners.declaration.forms.DeclarationForm",),
        kwargs="pk",
    ),
    Case(
        "declaration_invite",
        "declaration_invite",
        ("partners.declaration.forms.InviteForm",),
        kwargs="pk",
    ),
    # -- covenant engine cases (issue 21): the demo's covenant of Apeldoorn --
    Case(
        "covenant_edit",
        "covenant_edit",
        ("partners.declaration.forms.DeclarationForm",),
        kwargs="covenant",
        user="projectleider2",
    ),
    Case(
        "covenant_departure",
        "covenant_departure",
        ("partners.declaration.forms.DepartureForm",),
        kwargs="covenant",
        user="projectleider2",
    ),
    Case(
        "signing_page",
        "signing_page",
        ("partners.declaration.forms.SignForm", "partners.declaration.forms.DeclineForm"),
        kwargs="none",
        public=True,
    ),
    Case(
        "password_reset",
        "password_reset",
        ("kvu.forms.PasswordResetForm",),
        kwargs="none",
        public=True,
    ),
    Case(
        "verification_form",
        "verification_form",
        ("partners.declaration.forms.VerificationCodeForm",),
        kwargs="none",
        public=True,
    ),
    Case(
        "verification_detail",
        "verification_detail",
        ("partners.declaration.forms.VerificationCheckForm",),
        kwargs="code",
        public=True,
    ),
    Case(
        "working_group",
        "working_group",
        ("partners.workgroup.forms.WorkingGroupForm",),
        kwargs="project_pk",
    ),
    Case(
        "working_group_member",
        "working_group_member",
        ("partners.workgroup.forms.MemberPersonForm",),
        kwargs="working_group_member",
    ),
    Case("meeting_create", "meeting_create", ("meetings.forms.MeetingForm",), kwargs="project_pk"),
    Case(
        "meeting_detail",
        "meeting_agenda_add",
        ("meetings.forms.AgendaItemAddForm",),
        kwargs="meeting",
    ),
    Case(
        "meeting_agenda_item_edit",
        "meeting_agenda_item_edit",
        ("meetings.forms.AgendaItemForm",),
        kwargs="agenda_item",
    ),
    Case("meeting_invite", "meeting_invite", ("meetings.forms.InviteForm",), kwargs="meeting"),
    Case(
        "meeting_attendance",
        "meeting_attendance",
        ("meetings.forms.AttendanceForm",),
        kwargs="past_meeting",
    ),
    Case(
        "meeting_agreement_add",
        "meeting_agreement_add",
        ("meetings.forms.AgreementForm",),
        kwargs="meeting",
    ),
    Case(
        "meeting_action_add",
        "meeting_action_add",
        ("meetings.forms.ActionItemForm",),
        kwargs="meeting",
    ),
    # Correcting what was recorded.
    Case(
        "contact_edit",
        "contact_edit",
        ("partners.forms.ContactMomentEditForm",),
        kwargs="contact_moment",
    ),
    Case(
        "agreement_edit",
        "agreement_edit",
        ("partners.forms.AgreementEditForm",),
        kwargs="agreement",
    ),
    Case(
        "meeting_action_edit",
        "meeting_action_edit",
        ("meetings.forms.ActionItemEditForm",),
        kwargs="action_item",
    ),
    # Search (issue 18): the header's and the search page's box (a GET, never a write).
    Case("search", "search", ("kvu.search.forms.SearchForm",), kwargs="none", method="get"),
    # Change log (issue 18): the filters of the municipality's change log (a GET).
    Case(
        "audit_log",
        "audit_log",
        ("kvu.audit_display.ChangeLogFilter",),
        kwargs="municipality",
        method="get",
    ),
    # Inbox of the contact log (issue 18): assigning a waiting e-mail to a partner.
    Case(
        "inbox_message",
        "inbox_message",
        ("partners.inbox.forms.AssignForm",),
        kwargs="inbound_message",
    ),
    # Team (issue 18): the team page's forms, the page behind the invitation link, and the
    # administrator's user form.
    Case("team", "team_invite", ("kvu.team.forms.InviteForm",), kwargs="municipality"),
    Case(
        "team",
        "team_member_role",
        ("kvu.team.forms.RoleForm",),
        kwargs="team_member",
        page_kwargs="municipality",
    ),
    Case(
        "team_invitation_accept",
        "team_invitation_accept",
        ("kvu.team.forms.AcceptForm",),
        kwargs="none",
        public=True,
    ),
    Case(
        "admin:auth_user_add",
        "admin:auth_user_add",
        ("kvu.admin.UserInviteForm",),
        kwargs="none",
        staff=True,
    ),
    # -- analysis cases: area profile and sources (issue 20) --
    Case(
        "profile_edit",
        "profile_edit",
        ("analysis.profile.forms.AreaProfileForm",),
        kwargs="project_pk",
    ),
    Case("area_profile", "street_add", ("analysis.profile.forms.StreetForm",), kwargs="project_pk"),
    Case(
        "street_edit", "street_edit", ("analysis.profile.forms.StreetForm",), kwargs="area_street"
    ),
    Case(
        "establishment_edit",
        "establishment_edit",
        ("analysis.profile.forms.EstablishmentForm",),
        kwargs="area_establishment",
    ),
    Case(
        "figure_add", "figure_add", ("analysis.profile.forms.KeyFigureForm",), kwargs="project_pk"
    ),
    Case(
        "figure_edit",
        "figure_edit",
        ("analysis.profile.forms.KeyFigureForm",),
        kwargs="area_figure",
    ),
    Case(
        "source_edit", "source_edit", ("analysis.sources.forms.SourceForm",), kwargs="area_source"
    ),
    Case(
        "source_edit",
        "source_document_add",
        ("kvu.documents.DocumentForm",),
        kwargs="area_source",
    ),
    # -- analysis cases: walk-throughs --
    Case(
        "walk_through_create",
        "walk_through_create",
        ("analysis.walkthrough.forms.WalkThroughForm",),
        kwargs="project_pk",
    ),
    Case(
        "walk_through_edit",
        "walk_through_edit",
        ("analysis.walkthrough.forms.WalkThroughForm",),
        kwargs="walk_through",
    ),
    Case(
        "finding_add",
        "finding_add",
        ("analysis.walkthrough.forms.FindingForm",),
        kwargs="walk_through_findings",
    ),
    Case(
        "finding_edit",
        "finding_edit",
        ("analysis.walkthrough.forms.FindingForm",),
        kwargs="finding",
    ),
    Case(
        "finding_edit",
        "finding_photo",
        ("analysis.walkthrough.forms.FindingPhotoForm",),
        kwargs="finding",
    ),
    Case(
        "finding_list",
        "finding_list",
        ("analysis.walkthrough.forms.FindingFilterForm",),
        kwargs="project_pk",
        method="get",
    ),
    # -- analysis cases: surveys --
    Case(
        "survey_create",
        "survey_create",
        ("analysis.surveys.forms.SurveyCreateForm",),
        kwargs="project_pk",
    ),
    Case("survey_edit", "survey_edit", ("analysis.surveys.forms.SurveyForm",), kwargs="survey"),
    Case("survey_send", "survey_send", ("analysis.surveys.forms.SendForm",), kwargs="survey"),
    Case(
        "question_add",
        "question_add",
        ("analysis.surveys.forms.QuestionForm",),
        kwargs="survey_questions",
    ),
    Case(
        "question_edit",
        "question_edit",
        ("analysis.surveys.forms.QuestionForm",),
        kwargs="survey_question",
    ),
    Case(
        "response_add",
        "response_add",
        ("analysis.surveys.forms.PaperResponseForm",),
        kwargs="survey_paper_survey",
    ),
    Case(
        "response_edit",
        "response_edit",
        ("analysis.surveys.forms.PaperResponseForm",),
        kwargs="survey_paper",
    ),
    # The partner's answer page behind a fresh personal link (no account): the link swaps its
    # token for the session, the questions are on a URL without it (see _fuzz).
    Case(
        "survey_answer_form",
        "survey_answer_form",
        ("analysis.surveys.forms.AnswerForm",),
        kwargs="none",
        public=True,
    ),
    # -- analysis cases: report, knelpunten and guide --
    Case(
        "conclusion_add",
        "conclusion_add",
        ("analysis.report.forms.ConclusionForm",),
        kwargs="project_pk",
    ),
    Case(
        "conclusion_edit",
        "conclusion_edit",
        ("analysis.report.forms.ConclusionForm",),
        kwargs="conclusion",
    ),
    Case(
        "conclusion_list",
        "conclusions_agreed",
        ("analysis.report.forms.AgreedForm",),
        kwargs="project_pk",
    ),
    Case(
        "knelpunt_add",
        "knelpunt_add",
        ("analysis.report.forms.KnelpuntForm",),
        kwargs="project_pk",
    ),
    Case(
        "knelpunt_edit",
        "knelpunt_edit",
        ("analysis.report.forms.KnelpuntForm",),
        kwargs="knelpunt",
    ),
    Case(
        "analysis_report_edit",
        "analysis_report_edit",
        ("analysis.report.forms.ReportTextsForm",),
        kwargs="project_pk",
    ),
    Case(
        "analysis_report",
        "report_shared",
        ("analysis.report.forms.SharedForm",),
        kwargs="project_pk",
    ),
    # -- plan of approach cases: the demo's adopted plan of Apeldoorn, posted by its leader --
    Case(
        "plan_edit",
        "plan_edit",
        ("plans.plan.forms.PlanTextsForm",),
        kwargs="plan",
        user="projectleider2",
    ),
    Case(
        "measure_add",
        "measure_add",
        ("plans.plan.forms.MeasureForm",),
        kwargs="plan",
        user="projectleider2",
    ),
    Case(
        "measure_edit",
        "measure_edit",
        ("plans.plan.forms.MeasureForm",),
        kwargs="plan_measure",
        user="projectleider2",
    ),
    Case(
        "plan_detail",
        "plan_adopt",
        ("plans.plan.forms.AdoptForm",),
        kwargs="plan",
        user="projectleider2",
    ),
    Case(
        "plan_detail",
        "plan_shared",
        ("plans.plan.forms.SharedForm",),
        kwargs="plan",
        user="projectleider2",
    ),
    # -- covenant cases: the commitments of the demo's Apeldoorn, posted by its leader --
    Case(
        "commitment_add",
        "commitment_add",
        ("plans.covenant.forms.CommitmentForm",),
        kwargs="covenant_project",
        user="projectleider2",
    ),
    Case(
        "commitment_edit",
        "commitment_edit",
        ("plans.covenant.forms.CommitmentForm",),
        kwargs="commitment",
        user="projectleider2",
    ),
]


def _project_form_classes():
    found = set()
    for module_name in FORM_MODULES:
        module = import_module(module_name)
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, forms.BaseForm) and obj.__module__ == module_name:
                found.add(f"{module_name}.{name}")
    return found


def test_every_form_is_fuzzed():
    for app in PROJECT_APPS:
        package = apps.get_app_config(app).path
        for path in sorted(Path(package).rglob("*.py")):
            source = path.read_text()
            if re.search(r"^class \w+\((forms\.)?(Model)?Form\b", source, re.M):
                module = ".".join(path.relative_to(package).with_suffix("").parts)
                assert f"{app}.{module}" in FORM_MODULES, f"{app}/{module}.py defines forms"
    covered = {name for case in CASES for name in case.forms}
    missing = sorted(_project_form_classes() - covered)
    assert not missing, f"forms without a fuzz case: {missing}"


class _FormParser(HTMLParser):
    """Collects the forms of a page: their action and the names and options of their fields."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}})
        elif self.forms and tag in ("input", "textarea", "select") and attrs.get("name"):
            name = attrs["name"]
            if name == "csrfmiddlewaretoken":
                return
            values = self.forms[-1]["fields"].setdefault(name, [])
            if attrs.get("value"):
                values.append(attrs["value"])
            self._select = values if tag == "select" else None
        elif tag == "option" and self._select is not None and attrs.get("value"):
            self._select.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _fields_of(html, action_path, page_path):
    parser = _FormParser()
    parser.feed(html)
    fields = {}
    for form in parser.forms:
        # An action of only a fragment ("#sign") posts to the page itself, as a browser does.
        target = form["action"].split("#")[0] or page_path
        if target.split("?")[0] == action_path:
            fields.update(form["fields"])
    return fields


def _row_counts():
    counts = {}
    with connection.cursor() as cursor:
        for app in PROJECT_APPS:
            for model in apps.get_app_config(app).get_models():
                if model._meta.model_name == "ratelimitcounter":
                    continue
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                counts[model._meta.label] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    participation = project.participations.order_by("pk").first()
    meeting = apps.get_model("meetings", "Meeting").objects.filter(project=project).first()
    declaration = apps.get_model("partners", "Declaration").objects.filter(project=project).first()
    links = [
        re.search(r"https?://[^/\s]+(/ondertekenen/[^\s/]+/)", message.body)
        for message in mail.outbox
    ]
    return {
        "project": project,
        "participation": participation,
        "meeting": meeting,
        # Attendance is recorded only from the day of the meeting on.
        "past_meeting": apps.get_model("meetings", "Meeting")
        .objects.filter(project=project, date__lte=timezone.localdate())
        .first(),
        "agenda_item": meeting.agenda_items.first(),
        "declaration": declaration,
        "signing_links": [link.group(1) for link in links if link],
        "contact_moment": project.contact_moments.order_by("pk").first(),
        "agreement": project.agreements.order_by("pk").first(),
        "action_item": apps.get_model("meetings", "ActionItem")
        .objects.filter(meeting__project=project)
        .order_by("pk")
        .first(),
        "working_group_member": apps.get_model("partners", "WorkingGroupMember")
        .objects.filter(participation__project=project)
        .order_by("pk")
        .first(),
        # Inbox of the contact log (issue 18): an e-mail waiting to be assigned.
        "inbound_message": InboundMessageFactory(project=project),
        # -- analysis demo objects (issue 20) --
        # Surveys: a new survey without answers, with a fresh personal link, and a paper
        # response of the demo's visitors' survey.
        **import_module("tests.test_analysis_survey_links").fuzz_objects(project),
        # Area profile and sources: a street, a key figure, the police figures' source and a
        # hospitality partner (its establishment).
        "area_street": apps.get_model("analysis", "Street")
        .objects.filter(analysis__project=project)
        .order_by("pk")
        .first(),
        "area_figure": apps.get_model("analysis", "KeyFigure")
        .objects.filter(analysis__project=project)
        .order_by("pk")
        .first(),
        "area_source": apps.get_model("analysis", "Source")
        .objects.filter(analysis__project=project, kind="police_figures")
        .first(),
        "area_establishment": project.participations.filter(organisation__kind="hospitality")
        .order_by("pk")
        .first(),
        # Walk-throughs: the demo's night walk-through and one of its findings.
        "walk_through": apps.get_model("analysis", "WalkThrough")
        .objects.filter(analysis__project=project, timing="night")
        .first(),
        "finding": apps.get_model("analysis", "Finding")
        .objects.filter(walk_through__analysis__project=project, walk_through__timing="night")
        .order_by("pk")
        .first(),
        # Report part: the demo's report in progress has conclusions and knelpunten.
        "conclusion": apps.get_model("analysis", "Conclusion")
        .objects.filter(analysis__project=project)
        .order_by("pk")
        .first(),
        "knelpunt": apps.get_model("analysis", "Knelpunt")
        .objects.filter(analysis__project=project)
        .order_by("pk")
        .first(),
    }


def _kwargs(kind, objs):
    project = objs["project"]
    return {
        "none": {},
        "pk": {"pk": project.pk},
        "municipality": {"municipality_pk": project.municipality_id},  # Change log (issue 18)
        "project_pk": {"project_pk": project.pk},
        "step": {"pk": project.pk, "step": "knowledge"},
        "participation": {"project_pk": project.pk, "pk": objs["participation"].pk},
        "meeting": {"project_pk": project.pk, "pk": objs["meeting"].pk},
        "past_meeting": {"project_pk": project.pk, "pk": objs["past_meeting"].pk},
        "agenda_item": {
            "project_pk": project.pk,
            "meeting_pk": objs["meeting"].pk,
            "pk": objs["agenda_item"].pk,
        },
        "code": {"code": objs["declaration"].verification_code},
        # -- covenant engine kwargs (issue 21) --
        "covenant": {
            "pk": apps.get_model("partners", "Declaration")
            .objects.filter(kind="covenant")
            .values_list("project_id", flat=True)
            .first()
        },
        "contact_moment": {"project_pk": project.pk, "pk": objs["contact_moment"].pk},
        "agreement": {"project_pk": project.pk, "pk": objs["agreement"].pk},
        "action_item": {
            "project_pk": project.pk,
            "meeting_pk": objs["action_item"].meeting_id,
            "pk": objs["action_item"].pk,
        },
        "working_group_member": {
            "project_pk": project.pk,
            "pk": objs["working_group_member"].pk,
        },
        # Inbox of the contact log (issue 18).
        "inbound_message": {"project_pk": project.pk, "pk": objs["inbound_message"].pk},
        # Team (issue 18): the editor's membership.
        "team_member": {
            "municipality_pk": project.municipality_id,
            "pk": objs["project"].municipality.memberships.get(user__username="collega").pk,
        },
        # -- analysis kwargs (issue 20) --
        # Surveys.
        "survey": {"project_pk": project.pk, "pk": objs["survey_draft"].pk},
        "survey_questions": {"project_pk": project.pk, "survey_pk": objs["survey_draft"].pk},
        "survey_question": {
            "project_pk": project.pk,
            "survey_pk": objs["survey_draft"].pk,
            "pk": objs["survey_draft"].questions.first().pk,
        },
        "survey_paper_survey": {
            "project_pk": project.pk,
            "survey_pk": objs["survey_paper"].survey_id,
        },
        "survey_paper": {
            "project_pk": project.pk,
            "survey_pk": objs["survey_paper"].survey_id,
            "pk": objs["survey_paper"].pk,
        },
        "survey_link": {"token": objs["survey_token"]},
        "area_street": {"project_pk": project.pk, "pk": objs["area_street"].pk},
        "area_figure": {"project_pk": project.pk, "pk": objs["area_figure"].pk},
        "area_source": {"project_pk": project.pk, "pk": objs["area_source"].pk},
        "area_establishment": {
            "project_pk": project.pk,
            "participation_pk": objs["area_establishment"].pk,
        },
        "walk_through": {"project_pk": project.pk, "pk": objs["walk_through"].pk},
        "walk_through_findings": {
            "project_pk": project.pk,
            "walk_through_pk": objs["walk_through"].pk,
        },
        "finding": {
            "project_pk": project.pk,
            "walk_through_pk": objs["finding"].walk_through_id,
            "pk": objs["finding"].pk,
        },
        "conclusion": {"project_pk": project.pk, "pk": objs["conclusion"].pk},
        "knelpunt": {"project_pk": project.pk, "pk": objs["knelpunt"].pk},
        # -- plan of approach kwargs: the demo's plan of Apeldoorn and its first measure --
        "plan": {"project_pk": _plan_measure()[0]},
        "plan_measure": dict(zip(("project_pk", "pk"), _plan_measure(), strict=True)),
        # -- covenant kwargs: the demo's plan of Apeldoorn and its first commitment --
        "covenant_project": {"project_pk": _covenant_commitment()[0]},
        "commitment": dict(zip(("project_pk", "pk"), _covenant_commitment(), strict=True)),
    }[kind]


def _plan_measure():
    """-- plan of approach --: (project pk, pk) of the first measure of the demo's Apeldoorn."""
    return (
        apps.get_model("plans", "Measure")
        .objects.filter(plan__project__name="KVU Centrum Apeldoorn")
        .order_by("pk")
        .values_list("plan__project_id", "pk")
        .first()
    )


def _covenant_commitment():
    """-- covenant --: (project pk, pk) of the first commitment of the demo's covenant project."""
    row = (
        apps.get_model("plans", "Commitment")
        .objects.filter(plan__project__name="KVU Centrum Apeldoorn")
        .order_by("pk")
        .values_list("plan__project_id", "pk")
        .first()
    )
    return row or (None, None)


def _team_link(municipality):
    """Team (issue 18): the path of a fresh invitation link of a new colleague."""
    from django.conf import settings as django_settings

    from kvu.team import links
    from kvu.team.models import TeamInvitation

    invitation = TeamInvitation.objects.create(
        municipality=municipality, email="fuzz.collega@example.org", name="Fuzz", role="editor"
    )
    return links.invitation_url(links.issue_token(invitation)).removeprefix(
        django_settings.SITE_URL
    )


def _value_strategy(options):
    choices = [st.sampled_from(NASTY), st.text(max_size=200)]
    if options:
        choices.append(st.sampled_from(options))
    return st.one_of(*choices)


def test_generated_input_never_breaks_any_form(demo, leader_of_demo):
    """One test over all cases: the demo data is loaded once, which keeps the suite fast."""
    for case in CASES:
        # Each case starts from the untouched demo data: fuzzing the declaration's edit form,
        # for one, makes a new version that withdraws the open invitations other cases use.
        with transaction.atomic():
            _fuzz(case, demo, leader_of_demo)
            transaction.set_rollback(True)


def _fuzz(case, demo, leader_of_demo):
    client = Client(raise_request_exception=False)
    if case.public:
        if case.page == "signing_page":
            # The demo signed some invitations already: take a link that is still open.
            for link in demo["signing_links"]:
                client = Client(raise_request_exception=False)
                if 'name="signer_name"' in client.get(link, follow=True).content.decode():
                    break
            else:
                pytest.fail("the demo has no open invitation to sign")
        if case.page == "survey_answer_form":  # the personal survey link opens the session
            client.get(reverse("survey_answer", kwargs=_kwargs("survey_link", demo)))
        if case.page == "team_invitation_accept":  # Team (issue 18): a colleague's new link
            client.get(_team_link(demo["project"].municipality))
    elif case.staff or case.user:
        from django.contrib.auth import get_user_model

        username = case.user or "beheer"
        client.force_login(get_user_model().objects.get(username=username))
    else:
        client.force_login(leader_of_demo)
    page_url = reverse(case.page, kwargs=_kwargs(case.page_kwargs or case.kwargs, demo))
    if case.page_query:
        page_url += f"?{case.page_query}"
    action_url = reverse(case.action, kwargs=_kwargs(case.kwargs, demo))
    page = client.get(page_url)
    assert page.status_code == 200, page_url
    fields = _fields_of(page.content.decode(), action_url, page_url)
    assert fields, f"no form posting to {action_url} on {page_url}"

    strategy = st.fixed_dictionaries({name: _value_strategy(opts) for name, opts in fields.items()})

    @settings(
        max_examples=12,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=strategy)
    def post(data):
        before = _row_counts()
        if case.method == "get":
            response = client.get(action_url, data)
            assert response.status_code < 500, (action_url, data)
            assert _row_counts() == before, (action_url, data)  # a filter never writes
            return
        response = client.post(action_url, data)
        assert response.status_code < 500, (action_url, data)
        # Only the messages this request added: earlier ones wait unread in the cookie.
        added = getattr(get_messages(response.wsgi_request), "_queued_messages", [])
        refused = response.status_code in (200, 400, 403, 404, 405, 429) or any(
            message.level == constants.ERROR for message in added
        )
        if refused:
            assert _row_counts() == before, (action_url, data)

    post()


@pytest.fixture
def leader_of_demo(demo):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="projectleider")
