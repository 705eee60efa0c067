"""URL-by-role matrix: every URL pattern of the project, as every kind of user.

A new URL pattern without a sample here fails `test_every_url_pattern_has_a_sample`, so no page
can escape the tenancy and permission checks. Later features only add samples (and objects to
`_build_matrix`).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from analysis.services import start_analysis
from kvu.demo import demo_pdf
from kvu.documents import add_document
from kvu.models import Membership
from kvu.team.models import TeamInvitation
from meetings.services import regenerate_feed
from partners.models import CsvImport, WorkingGroupMember
from tests.declaration_support import invited
from tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AgreementFactory,
    AttendeeFactory,
    ConcernFactory,
    ContactMomentFactory,
    DeclarationFactory,
    InboundMessageFactory,
    LoggingAddressFactory,
    MeetingFactory,
    MembershipFactory,
    MunicipalityFactory,
    ParticipationFactory,
    PersonFactory,
    ProjectFactory,
    UserFactory,
)

PUBLIC = "public"  # anyone, also without an account
LOGIN = "login"  # any logged-in user, no project data
CREATE = "create"  # needs a leader or editor role in some municipality
PROJECT_READ = "project_read"  # members of the project's municipality
PROJECT_WRITE = "project_write"  # leaders and editors of the project's municipality
MUNICIPALITY_LEADER = "municipality_leader"  # leaders of the municipality only


@dataclass(frozen=True)
class Sample:
    access: str
    kwargs: Callable[[SimpleNamespace], dict] = field(default=lambda objs: {})
    method: str = "get"


SAMPLES: dict[str, Sample] = {
    "dashboard": Sample(LOGIN),
    "set_language": Sample(PUBLIC, method="post"),
    "login": Sample(PUBLIC),
    "logout": Sample(LOGIN, method="post"),
    "password_change": Sample(LOGIN),
    "password_change_done": Sample(LOGIN),
    # The user's own settings (the overview e-mail): every user, only their own.
    "my_settings": Sample(LOGIN),
    "password_reset": Sample(PUBLIC),
    "password_reset_done": Sample(PUBLIC),
    "password_reset_confirm": Sample(
        PUBLIC, kwargs=lambda objs: {"uidb64": "MQ", "token": "set-password"}
    ),
    "password_reset_complete": Sample(PUBLIC),
    "project_create": Sample(CREATE),
    "project_detail": Sample(PROJECT_READ, kwargs=lambda objs: {"pk": objs.project.pk}),
    "project_edit": Sample(PROJECT_WRITE, kwargs=lambda objs: {"pk": objs.project.pk}),
    # Documents: the list and a download for members, upload and delete for writers.
    "document_list": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "document_upload": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs), method="post"
    ),
    "document_download": Sample(PROJECT_READ, kwargs=lambda objs: _document_kwargs(objs)),
    "document_delete": Sample(PROJECT_WRITE, kwargs=lambda objs: _document_kwargs(objs)),
    # Phase guide, timeline and status report (issue 6).
    "projects_overview": Sample(LOGIN),
    "guide": Sample(PROJECT_READ, kwargs=lambda objs: {"pk": objs.project.pk}),
    "guide_step": Sample(
        PROJECT_WRITE,
        kwargs=lambda objs: {"pk": objs.project.pk, "step": "knowledge"},
        method="post",
    ),
    "gate": Sample(PROJECT_WRITE, kwargs=lambda objs: {"pk": objs.project.pk}),
    "timeline": Sample(PROJECT_READ, kwargs=lambda objs: {"pk": objs.project.pk}),
    "status_report": Sample(PROJECT_READ, kwargs=lambda objs: {"pk": objs.project.pk}),
    "status_report_pdf": Sample(PROJECT_READ, kwargs=lambda objs: {"pk": objs.project.pk}),
    "working_group": Sample(PROJECT_READ, kwargs=lambda objs: {"project_pk": objs.project.pk}),
    "working_group_member": Sample(
        PROJECT_WRITE,
        kwargs=lambda objs: {"project_pk": objs.project.pk, "pk": objs.working_group_member.pk},
    ),
    # Partners and outreach (issue 3).
    "partner_board": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "partner_list": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "partner_grid": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "partner_export": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "participation_add": Sample(PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs)),
    "partner_import": Sample(PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs)),
    "partner_import_progress": Sample(
        PROJECT_READ, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.csv_import.pk}
    ),
    "partner_import_status": Sample(
        PROJECT_READ, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.csv_import.pk}
    ),
    "participation_detail": Sample(PROJECT_READ, kwargs=lambda objs: _outreach(objs)),
    "participation_edit": Sample(PROJECT_WRITE, kwargs=lambda objs: _outreach(objs)),
    "participation_stage": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _outreach(objs), method="post"
    ),
    "contact_create": Sample(PROJECT_WRITE, kwargs=lambda objs: _outreach(objs), method="post"),
    "agreement_create": Sample(PROJECT_WRITE, kwargs=lambda objs: _outreach(objs)),
    "person_create": Sample(PROJECT_WRITE, kwargs=lambda objs: _outreach(objs)),
    "person_edit": Sample(PROJECT_WRITE, kwargs=lambda objs: _outreach(objs, person=True)),
    "organisation_edit": Sample(PROJECT_WRITE, kwargs=lambda objs: _outreach(objs)),
    "organisation_set_active": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _outreach(objs), method="post"
    ),
    "contact_log": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "contact_log_export": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "follow_up_done": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _outreach(objs, contact=True), method="post"
    ),
    # Concerns as a working list.
    "concern_list": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "concern_create": Sample(PROJECT_WRITE, kwargs=lambda objs: _outreach(objs)),
    "concern_edit": Sample(PROJECT_WRITE, kwargs=lambda objs: _concern_kwargs(objs)),
    "concern_delete": Sample(PROJECT_WRITE, kwargs=lambda objs: _concern_kwargs(objs)),
    # Correcting what was recorded: edit pages, and delete pages that ask before they POST.
    "contact_edit": Sample(PROJECT_WRITE, kwargs=lambda objs: _outreach(objs, contact=True)),
    "contact_delete": Sample(PROJECT_WRITE, kwargs=lambda objs: _outreach(objs, contact=True)),
    "agreement_edit": Sample(PROJECT_WRITE, kwargs=lambda objs: _agreement(objs)),
    "agreement_delete": Sample(PROJECT_WRITE, kwargs=lambda objs: _agreement(objs)),
    "privacy_statement": Sample(PUBLIC),
    "accessibility_statement": Sample(PUBLIC),
    "person_privacy": Sample(PROJECT_WRITE, kwargs=lambda objs: _person_kwargs(objs)),
    "person_export": Sample(PROJECT_WRITE, kwargs=lambda objs: _person_kwargs(objs)),
    "person_anonymise": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _person_kwargs(objs), method="post"
    ),
    # Reading the audit trail is for leaders: viewers and editors get 403 like on a change.
    "audit_log": Sample(
        MUNICIPALITY_LEADER, kwargs=lambda objs: {"municipality_pk": objs.project.municipality_id}
    ),
    # Meetings (issue 5).
    "meeting_list": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "meeting_create": Sample(PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs)),
    "meeting_feed_settings": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "meeting_feed_regenerate": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs), method="post"
    ),
    "meeting_feed_revoke": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs), method="post"
    ),
    "meeting_detail": Sample(PROJECT_READ, kwargs=lambda objs: _meeting(objs)),
    "meeting_edit": Sample(PROJECT_WRITE, kwargs=lambda objs: _meeting(objs)),
    "meeting_cancel": Sample(PROJECT_WRITE, kwargs=lambda objs: _meeting(objs), method="post"),
    "meeting_agenda_add": Sample(PROJECT_WRITE, kwargs=lambda objs: _meeting(objs), method="post"),
    "meeting_agenda_item_edit": Sample(PROJECT_WRITE, kwargs=lambda objs: _meeting(objs, "item")),
    "meeting_agenda_move": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _meeting(objs, "item"), method="post"
    ),
    "meeting_agenda_delete": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _meeting(objs, "item"), method="post"
    ),
    "meeting_invite": Sample(PROJECT_WRITE, kwargs=lambda objs: _meeting(objs)),
    "meeting_uninvite": Sample(PROJECT_WRITE, kwargs=lambda objs: _meeting(objs), method="post"),
    "meeting_invitations_send": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _meeting(objs), method="post"
    ),
    "meeting_attendance": Sample(PROJECT_WRITE, kwargs=lambda objs: _meeting(objs)),
    "meeting_agreement_add": Sample(PROJECT_WRITE, kwargs=lambda objs: _meeting(objs)),
    "meeting_action_add": Sample(PROJECT_WRITE, kwargs=lambda objs: _meeting(objs)),
    "meeting_action_status": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _meeting(objs, "action"), method="post"
    ),
    "meeting_action_edit": Sample(PROJECT_WRITE, kwargs=lambda objs: _meeting(objs, "action")),
    "meeting_action_delete": Sample(PROJECT_WRITE, kwargs=lambda objs: _meeting(objs, "action")),
    "meeting_ics": Sample(PROJECT_READ, kwargs=lambda objs: _meeting(objs)),
    "meeting_pdf": Sample(PROJECT_READ, kwargs=lambda objs: _meeting(objs)),
    # The public calendar feed: with its secret anyone may read it (test_ics covers without).
    "meeting_feed": Sample(PUBLIC, kwargs=lambda objs: {"secret": objs.feed_secret}),
    # Declaration of intent (issue 4).
    "declaration_detail": Sample(PROJECT_READ, kwargs=lambda objs: _declaration(objs)),
    "declaration_create": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _declaration(objs), method="post"
    ),
    "declaration_edit": Sample(PROJECT_WRITE, kwargs=lambda objs: _declaration(objs)),
    "declaration_preview": Sample(PROJECT_READ, kwargs=lambda objs: _declaration(objs)),
    "declaration_invite": Sample(PROJECT_WRITE, kwargs=lambda objs: _declaration(objs)),
    "declaration_pdf": Sample(PROJECT_READ, kwargs=lambda objs: _declaration(objs, "version")),
    "declaration_invitation_revoke": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _declaration(objs, "invitation"), method="post"
    ),
    "declaration_invitation_resend": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _declaration(objs, "invitation"), method="post"
    ),
    "declaration_invitation_remind": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _declaration(objs, "invitation"), method="post"
    ),
    # The declaration round (issue 5): inviting a decliner again, comparing versions.
    "declaration_invitation_reinvite": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _declaration(objs, "invitation"), method="post"
    ),
    "declaration_compare": Sample(PROJECT_READ, kwargs=lambda objs: _declaration(objs, "version")),
    # Public: the personal link (a dead one shows an explanation), signing and verification.
    "signing_start": Sample(PUBLIC, kwargs=lambda objs: {"token": "x" * 43}),
    "signing_page": Sample(PUBLIC),
    "signing_compare": Sample(PUBLIC),
    "signing_pdf": Sample(PUBLIC),
    "verification_form": Sample(PUBLIC),
    "verification_detail": Sample(PUBLIC, kwargs=lambda objs: _declaration(objs, "code")),
    # Search (issue 18): every user, within their own municipalities (tests/test_search.py and
    # test_search_finds_nothing_of_another_municipality below).
    "search": Sample(LOGIN),
    # Inbox of the contact log (issue 18): read by members, handled and replaced by writers.
    "contact_inbox": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "inbox_message": Sample(
        PROJECT_READ, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.inbound.pk}
    ),
    "inbox_message_discard": Sample(
        PROJECT_WRITE,
        kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.inbound.pk},
        method="post",
    ),
    "logging_address_replace": Sample(PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs)),
    # Team (issue 18): a municipality's leaders (and staff) manage its team; the invitation
    # link is public (a dead one, or the page behind it without a session, explains itself).
    "team": Sample(MUNICIPALITY_LEADER, kwargs=lambda objs: _team_kwargs(objs)),
    "team_invite": Sample(
        MUNICIPALITY_LEADER, kwargs=lambda objs: _team_kwargs(objs), method="post"
    ),
    "team_member_role": Sample(
        MUNICIPALITY_LEADER, kwargs=lambda objs: _team_kwargs(objs, "member"), method="post"
    ),
    "team_member_remove": Sample(
        MUNICIPALITY_LEADER, kwargs=lambda objs: _team_kwargs(objs, "member")
    ),
    "team_invitation_resend": Sample(
        MUNICIPALITY_LEADER, kwargs=lambda objs: _team_kwargs(objs, "invitation"), method="post"
    ),
    "team_invitation_cancel": Sample(
        MUNICIPALITY_LEADER, kwargs=lambda objs: _team_kwargs(objs, "invitation"), method="post"
    ),
    "team_invitation_start": Sample(PUBLIC, kwargs=lambda objs: {"token": "x" * 43}),
    "team_invitation_accept": Sample(PUBLIC),
    # Safety analysis (issue 20): the analysis' home and its start.
    "analysis_home": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "analysis_start": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs), method="post"
    ),
    # -- analysis: area profile and sources --
    "area_profile": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "profile_edit": Sample(PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs)),
    "street_add": Sample(PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs)),
    "street_edit": Sample(
        PROJECT_WRITE, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.street.pk}
    ),
    "street_delete": Sample(
        PROJECT_WRITE, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.street.pk}
    ),
    "establishment_edit": Sample(
        PROJECT_WRITE,
        kwargs=lambda objs: {**_project_kwargs(objs), "participation_pk": objs.participation.pk},
    ),
    "figures": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "figure_add": Sample(PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs)),
    "figure_edit": Sample(
        PROJECT_WRITE, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.figure.pk}
    ),
    "figure_delete": Sample(
        PROJECT_WRITE, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.figure.pk}
    ),
    "sources": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "source_edit": Sample(
        PROJECT_WRITE, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.source.pk}
    ),
    "source_document_add": Sample(
        PROJECT_WRITE,
        kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.source.pk},
        method="post",
    ),
    # -- analysis: walk-throughs --
    "walk_through_list": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "walk_through_create": Sample(PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs)),
    "walk_through_detail": Sample(PROJECT_READ, kwargs=lambda objs: objs.walk_kwargs),
    "walk_through_edit": Sample(PROJECT_WRITE, kwargs=lambda objs: objs.walk_kwargs),
    "walk_through_delete": Sample(PROJECT_WRITE, kwargs=lambda objs: objs.walk_kwargs),
    "walk_through_pdf": Sample(PROJECT_READ, kwargs=lambda objs: objs.walk_kwargs),
    "finding_list": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "finding_add": Sample(
        PROJECT_WRITE,
        kwargs=lambda objs: {**_project_kwargs(objs), "walk_through_pk": objs.walk_through.pk},
    ),
    "finding_edit": Sample(PROJECT_WRITE, kwargs=lambda objs: objs.finding_kwargs),
    "finding_photo": Sample(PROJECT_WRITE, kwargs=lambda objs: objs.finding_kwargs, method="post"),
    "finding_delete": Sample(PROJECT_WRITE, kwargs=lambda objs: objs.finding_kwargs),
    # -- analysis: surveys --
    # Surveys: read by members, changed by writers; the personal link is public (a live
    # link shows the questions; tests/test_analysis_survey_links.py covers dead ones).
    "survey_list": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "survey_create": Sample(PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs)),
    "survey_detail": Sample(
        PROJECT_READ, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.survey.pk}
    ),
    "survey_edit": Sample(
        PROJECT_WRITE, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.survey.pk}
    ),
    "survey_send": Sample(
        PROJECT_WRITE, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.survey.pk}
    ),
    "survey_results": Sample(
        PROJECT_READ, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.survey.pk}
    ),
    "question_add": Sample(
        PROJECT_WRITE,
        kwargs=lambda objs: {**_project_kwargs(objs), "survey_pk": objs.survey.pk},
    ),
    "question_edit": Sample(
        PROJECT_WRITE,
        kwargs=lambda objs: {
            **_project_kwargs(objs),
            "survey_pk": objs.survey.pk,
            "pk": objs.question.pk,
        },
    ),
    "question_delete": Sample(
        PROJECT_WRITE,
        kwargs=lambda objs: {
            **_project_kwargs(objs),
            "survey_pk": objs.survey.pk,
            "pk": objs.question.pk,
        },
    ),
    "question_move": Sample(
        PROJECT_WRITE,
        kwargs=lambda objs: {
            **_project_kwargs(objs),
            "survey_pk": objs.survey.pk,
            "pk": objs.question.pk,
        },
        method="post",
    ),
    "survey_open_answers": Sample(
        PROJECT_READ,
        kwargs=lambda objs: {
            **_project_kwargs(objs),
            "survey_pk": objs.survey.pk,
            "pk": objs.question.pk,
        },
    ),
    "response_add": Sample(
        PROJECT_WRITE,
        kwargs=lambda objs: {**_project_kwargs(objs), "survey_pk": objs.response.survey_id},
    ),
    "response_edit": Sample(
        PROJECT_WRITE,
        kwargs=lambda objs: {
            **_project_kwargs(objs),
            "survey_pk": objs.response.survey_id,
            "pk": objs.response.pk,
        },
    ),
    "response_delete": Sample(
        PROJECT_WRITE,
        kwargs=lambda objs: {
            **_project_kwargs(objs),
            "survey_pk": objs.response.survey_id,
            "pk": objs.response.pk,
        },
    ),
    "response_resend": Sample(
        PROJECT_WRITE,
        kwargs=lambda objs: {
            **_project_kwargs(objs),
            "survey_pk": objs.survey.pk,
            "pk": objs.survey_link.pk,
        },
        method="post",
    ),
    # The link itself swaps its token for the session and redirects (302); the sample is a
    # used link, whose thank-you page is shown at the link (200) to anyone holding it.
    "survey_answer": Sample(PUBLIC, kwargs=lambda objs: {"token": objs.survey_used_token}),
    # The questions behind the link, on a URL without the token (the session carries the link).
    "survey_answer_form": Sample(PUBLIC),
    # -- analysis: report, knelpunten and guide --
    "conclusion_list": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "conclusion_add": Sample(PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs)),
    "conclusion_edit": Sample(
        PROJECT_WRITE, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.conclusion.pk}
    ),
    "conclusion_delete": Sample(
        PROJECT_WRITE, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.conclusion.pk}
    ),
    "conclusion_move": Sample(
        PROJECT_WRITE,
        kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.conclusion.pk},
        method="post",
    ),
    "conclusions_agreed": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs), method="post"
    ),
    "knelpunt_list": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "knelpunt_add": Sample(PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs)),
    "knelpunt_edit": Sample(
        PROJECT_WRITE, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.knelpunt.pk}
    ),
    "knelpunt_delete": Sample(
        PROJECT_WRITE, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.knelpunt.pk}
    ),
    "analysis_report": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "analysis_report_pdf": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "analysis_report_edit": Sample(PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs)),
    "report_shared": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs), method="post"
    ),
    # -- plan of approach --
    "plan_detail": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "plan_start": Sample(PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs), method="post"),
    "plan_edit": Sample(PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs)),
    "measure_matrix": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "measure_add": Sample(PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs)),
    "measure_edit": Sample(
        PROJECT_WRITE, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.measure.pk}
    ),
    "measure_delete": Sample(
        PROJECT_WRITE, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.measure.pk}
    ),
    "plan_adopt": Sample(PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs), method="post"),
    "plan_shared": Sample(PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs), method="post"),
    "plan_pdf": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "plan_version": Sample(
        PROJECT_READ, kwargs=lambda objs: {**_project_kwargs(objs), "number": 1}
    ),
    "plan_version_pdf": Sample(
        PROJECT_READ, kwargs=lambda objs: {**_project_kwargs(objs), "number": 1}
    ),
    # -- covenant engine: the covenant's pages of the signed-document engine (issue 21) --
    "covenant_detail": Sample(PROJECT_READ, kwargs=lambda objs: _covenant(objs)),
    "covenant_create": Sample(PROJECT_WRITE, kwargs=lambda objs: _covenant(objs), method="post"),
    "covenant_edit": Sample(PROJECT_WRITE, kwargs=lambda objs: _covenant(objs)),
    "covenant_preview": Sample(PROJECT_READ, kwargs=lambda objs: _covenant(objs)),
    "covenant_invite": Sample(PROJECT_WRITE, kwargs=lambda objs: _covenant(objs)),
    "covenant_departure": Sample(PROJECT_WRITE, kwargs=lambda objs: _covenant(objs)),
    "covenant_pdf": Sample(PROJECT_READ, kwargs=lambda objs: _covenant(objs, "version")),
    "covenant_compare": Sample(PROJECT_READ, kwargs=lambda objs: _covenant(objs, "version")),
    "covenant_invitation_revoke": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _covenant(objs, "invitation"), method="post"
    ),
    "covenant_invitation_resend": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _covenant(objs, "invitation"), method="post"
    ),
    "covenant_invitation_remind": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _covenant(objs, "invitation"), method="post"
    ),
    "covenant_invitation_reinvite": Sample(
        PROJECT_WRITE, kwargs=lambda objs: _covenant(objs, "invitation"), method="post"
    ),
    # -- covenant: the partners' commitments (plans/covenant/) --
    "commitment_list": Sample(PROJECT_READ, kwargs=lambda objs: _project_kwargs(objs)),
    "commitment_add": Sample(PROJECT_WRITE, kwargs=lambda objs: _project_kwargs(objs)),
    "commitment_edit": Sample(
        PROJECT_WRITE, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.commitment.pk}
    ),
    "commitment_delete": Sample(
        PROJECT_WRITE, kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.commitment.pk}
    ),
    "commitment_move": Sample(
        PROJECT_WRITE,
        kwargs=lambda objs: {**_project_kwargs(objs), "pk": objs.commitment.pk},
        method="post",
    ),
}


def _team_kwargs(objs, what=None):
    kwargs = {"municipality_pk": objs.project.municipality_id}
    if what == "member":
        return {**kwargs, "pk": objs.team_membership.pk}
    if what == "invitation":
        return {**kwargs, "pk": objs.team_invitation.pk}
    return kwargs


def _project_kwargs(objs):
    return {"project_pk": objs.project.pk}


def _document_kwargs(objs):
    return {"project_pk": objs.project.pk, "pk": objs.document.pk}


def _outreach(objs, *, person=False, contact=False):
    kwargs = {"project_pk": objs.project.pk}
    if contact:
        return {**kwargs, "pk": objs.contact_moment.pk}
    kwargs["pk"] = objs.participation.pk
    if person:
        kwargs["person_pk"] = objs.partner_person.pk
    return kwargs


def _agreement(objs):
    return {"project_pk": objs.project.pk, "pk": objs.agreement.pk}


def _concern_kwargs(objs):
    return {**_outreach(objs), "concern_pk": objs.concern.pk}


def _meeting(objs, child=None):
    if child is None:
        return {"project_pk": objs.project.pk, "pk": objs.meeting.pk}
    pk = {"item": objs.agenda_item, "attendee": objs.attendee, "action": objs.action_item}[child].pk
    return {"project_pk": objs.project.pk, "meeting_pk": objs.meeting.pk, "pk": pk}


def _declaration(objs, what=None):
    declaration = objs.invitation.declaration
    if what == "version":
        return {"pk": objs.project.pk, "version": declaration.version}
    if what == "invitation":
        return {"pk": objs.project.pk, "invitation_pk": objs.invitation.pk}
    if what == "code":
        return {"code": declaration.verification_code}
    return {"pk": objs.project.pk}


def _covenant(objs, what=None):
    covenant = objs.covenant_invitation.declaration
    if what == "version":
        return {"pk": objs.project.pk, "version": covenant.version}
    if what == "invitation":
        return {"pk": objs.project.pk, "invitation_pk": objs.covenant_invitation.pk}
    return {"pk": objs.project.pk}


def _person_kwargs(objs):
    return {"project_pk": objs.project.pk, "pk": objs.privacy_person.pk}


# Django's admin has its own staff check, tested in test_admin_is_staff_only.
EXEMPT_NAMESPACES = {"admin"}


def _url_names(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXEMPT_NAMESPACES:
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _url_names(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{prefix}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>"


def test_every_url_pattern_has_a_sample():
    names = set(_url_names(get_resolver().url_patterns))
    missing = sorted(names - SAMPLES.keys())
    assert not missing, f"URL patterns without a sample in the access matrix: {missing}"
    stale = sorted(SAMPLES.keys() - names)
    assert not stale, f"Samples for URL patterns that no longer exist: {stale}"


def _build_matrix():
    """The users of every role and one object of every kind, all in the project's municipality."""
    municipality = MunicipalityFactory(name="Zwolle", cbs_code="GM0193")
    objs = SimpleNamespace()
    objs.leader = MembershipFactory(municipality=municipality, role=Membership.Role.LEADER).user
    objs.editor = MembershipFactory(municipality=municipality, role=Membership.Role.EDITOR).user
    objs.viewer = MembershipFactory(municipality=municipality, role=Membership.Role.VIEWER).user
    # A leader, but of another municipality: must never see this municipality's data.
    objs.outsider = MembershipFactory(
        municipality=MunicipalityFactory(name="Deventer", cbs_code="GM0150"),
        role=Membership.Role.LEADER,
    ).user
    objs.staff = UserFactory(username="beheerder", is_staff=True, is_superuser=True)
    objs.project = ProjectFactory(
        municipality=municipality, name="KVU Binnenstad", project_leader=objs.leader
    )
    objs.privacy_person = PersonFactory(organisation__municipality=municipality, name="Anna Privé")
    # Partners and outreach: a participation with a person and a contact moment.
    objs.participation = ParticipationFactory(project=objs.project)
    objs.partner_person = PersonFactory(organisation=objs.participation.organisation)
    objs.contact_moment = ContactMomentFactory(participation=objs.participation)
    objs.concern = ConcernFactory(participation=objs.participation)
    objs.agreement = AgreementFactory(project=objs.project)
    objs.agreement.participations.add(objs.participation)
    objs.csv_import = CsvImport.objects.create(
        project=objs.project,
        language="nl",
        status="done",
        counts={"created": 1, "updated": 0, "added": 1, "persons": 1},
    )
    # A held meeting with an agenda item, an invitee and an action item, and the calendar feed.
    held_on = timezone.localdate() - datetime.timedelta(days=7)  # held only once it took place
    objs.meeting = MeetingFactory(project=objs.project, status="held", date=held_on)
    objs.agenda_item = AgendaItemFactory(meeting=objs.meeting)
    objs.attendee = AttendeeFactory(meeting=objs.meeting)
    objs.action_item = ActionItemFactory(meeting=objs.meeting)
    objs.feed_secret = regenerate_feed(project=objs.project, user=None)
    # A document attached to the meeting (stored in the tests' temporary documents folder).
    objs.document = add_document(
        project=objs.project,
        target=objs.meeting,
        title="Politiecijfers",
        name="c.pdf",
        data=demo_pdf("Politiecijfers", ["2025: 104"]),
    )
    # A sent declaration with one open invitation.
    objs.invitation, _token = invited(objs.project, leader=None)
    # A working group member, represented by the partner's contact person.
    objs.working_group_member = WorkingGroupMember.objects.create(
        participation=objs.participation, person=objs.partner_person
    )
    # Team (issue 18): the viewer's membership and an open invitation of a colleague.
    objs.team_membership = Membership.objects.get(user=objs.viewer)
    objs.team_invitation = TeamInvitation.objects.create(
        municipality=municipality,
        email="collega@example.org",
        name="Collega Zwolle",
        role=Membership.Role.EDITOR,
        invited_by=objs.leader,
    )
    # Inbox of the contact log (issue 18): the project's logging address and a waiting e-mail.
    LoggingAddressFactory(project=objs.project)
    objs.inbound = InboundMessageFactory(project=objs.project)
    # Safety analysis (issue 20): started, with its profile and CCV's ten sources.
    objs.analysis = start_analysis(project=objs.project, user=objs.leader)
    # -- analysis objects: area profile and sources --
    objs.street = objs.analysis.streets.create(name="Oude Markt")
    objs.figure = objs.analysis.figures.create(
        kind="incidents", year=2025, value=104, source="Politie, BVH-bevraging"
    )
    objs.source = objs.analysis.sources.get(kind="police_figures")
    # -- analysis objects: walk-throughs --
    objs.walk_through = objs.analysis.walk_throughs.create(
        timing="night", date=timezone.localdate() - datetime.timedelta(days=3)
    )
    objs.walk_through.partners.add(objs.participation)
    objs.finding = objs.walk_through.findings.create(
        street=objs.street,
        category="visibility",
        severity="red",
        description="Lantaarnpaal kapot in de steeg.",
        action_by=objs.participation,
    )
    objs.walk_kwargs = {**_project_kwargs(objs), "pk": objs.walk_through.pk}
    objs.finding_kwargs = {
        **_project_kwargs(objs),
        "walk_through_pk": objs.walk_through.pk,
        "pk": objs.finding.pk,
    }
    # -- analysis objects: surveys --
    # The entrepreneurs' survey (no answers yet: its questions may change) with a live
    # personal link of the partner, and a visitors' survey with a paper response.
    from analysis.surveys import links as survey_links
    from analysis.surveys import services as survey_services
    from analysis.surveys.models import Response as SurveyResponse

    objs.survey = survey_services.create_survey(
        analysis=objs.analysis, kind="entrepreneurs", user=objs.leader
    )
    objs.question = objs.survey.questions.first()
    objs.survey_link = SurveyResponse.objects.create(
        survey=objs.survey,
        channel="online",
        participation=objs.participation,
        person=objs.partner_person,
    )
    objs.survey_token = survey_links.issue_token(objs.survey_link)
    objs.response = survey_services.add_paper_response(
        survey=survey_services.create_survey(
            analysis=objs.analysis, kind="visitors", user=objs.leader
        ),
        respondent="Bezoeker 1",
        answers={},
        user=objs.leader,
    )
    used = SurveyResponse.objects.create(
        survey=objs.response.survey,
        channel="online",
        participation=objs.participation,
        person=objs.partner_person,
    )
    objs.survey_used_token = survey_links.issue_token(used)
    survey_services.answer_online(token=objs.survey_used_token, answers={})
    # -- analysis objects: report, knelpunten and guide --
    objs.conclusion = objs.analysis.conclusions.create(
        kind="conclusion", text="De stegen rond de Oude Markt zijn 's nachts te donker."
    )
    objs.knelpunt = objs.analysis.knelpunten.create(theme="safety", title="Donkere stegen")
    # -- plan of approach objects: the plan with one measure (for a knelpunt of its own: the
    # knelpunt above must stay deletable), adopted as version 1 in the held meeting --
    from plans.plan import services as plan_services
    from plans.services import start_plan

    objs.plan = start_plan(project=objs.project, user=objs.leader)
    objs.measure = plan_services.add_measure(
        plan=objs.plan,
        fields={
            "knelpunt": objs.analysis.knelpunten.create(theme="nuisance", title="Wildplassen"),
            "theme": "nuisance",
            "title": "Urinoirs in het weekend",
            "indicator": "meldingen van overlast",
            "unit": "per jaar",
            "target": 100,
            "target_date": datetime.date(2028, 12, 31),
            "responsible": objs.participation,
        },
    )
    objs.plan_version = plan_services.adopt_plan(
        plan=objs.plan, meeting=objs.meeting, user=objs.leader
    )
    # -- covenant engine objects: a sent covenant with one open invitation --
    objs.covenant_invitation, _token = invited(
        objs.project,
        leader=None,
        declaration=DeclarationFactory(
            project=objs.project,
            kind="covenant",
            title="Convenant Veilig Uitgaan",
            vision="",
            measures="- Collectief huisverbod.",
            membership="Toetreden kan tijdens de looptijd.",
            sanctions="Eerst een gesprek.",
            valid_from=timezone.localdate(),
            valid_until=timezone.localdate() + datetime.timedelta(days=4 * 365),
        ),
    )
    # -- covenant objects: the plan of approach (the plan's own, when it made one) and one
    # commitment of the partner --
    from plans.models import Commitment, Plan

    objs.covenant_plan = Plan.objects.current(objs.project) or Plan.objects.create(
        project=objs.project, analysis=objs.analysis
    )
    objs.commitment = Commitment.objects.create(
        plan=objs.covenant_plan, participation=objs.participation, text="Twee portiers."
    )
    return objs


@pytest.fixture(scope="module")
def _matrix(django_db_setup, django_db_blocker):
    """The matrix's objects, built once for the whole module (some 500 tests).

    They live in a transaction that is rolled back after the module's last test. Each test runs
    in a savepoint of its own inside it (the `db` fixture), so a test that changes or deletes an
    object leaves it intact for the next one.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        objs = _build_matrix()
        with django_db_blocker.block():  # each test opens it again with the `db` fixture
            yield objs
        transaction.set_rollback(True)


@pytest.fixture
def matrix_objects(_matrix, db):
    """The shared objects, for a test that runs in its own savepoint."""
    return _matrix


def _request(client, name, sample, objs):
    url = reverse(name, kwargs=sample.kwargs(objs))
    if sample.method == "post":
        return url, client.post(url, {})
    return url, client.get(url)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_anonymous_is_sent_to_login(client, matrix_objects, name):
    sample = SAMPLES[name]
    url, response = _request(client, name, sample, matrix_objects)
    if sample.access == PUBLIC:
        assert response.status_code in (200, 302), url
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_leader_of_another_municipality_gets_404(client, matrix_objects, name):
    sample = SAMPLES[name]
    client.force_login(matrix_objects.outsider)
    url, response = _request(client, name, sample, matrix_objects)
    if sample.access in (PROJECT_READ, PROJECT_WRITE, MUNICIPALITY_LEADER):
        assert response.status_code == 404, url
    else:
        assert response.status_code in (200, 302), url


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_viewer_gets_403_on_every_change(client, matrix_objects, name):
    sample = SAMPLES[name]
    client.force_login(matrix_objects.viewer)
    url, response = _request(client, name, sample, matrix_objects)
    if sample.access in (PROJECT_WRITE, CREATE, MUNICIPALITY_LEADER):
        assert response.status_code == 403, url
    else:
        assert response.status_code in (200, 302), url


@pytest.mark.parametrize("name", sorted(SAMPLES))
@pytest.mark.parametrize("role", ["leader", "editor"])
def test_members_who_may_write_get_the_page(client, matrix_objects, role, name):
    sample = SAMPLES[name]
    client.force_login(getattr(matrix_objects, role))
    url, response = _request(client, name, sample, matrix_objects)
    expected = (200,) if sample.method == "get" else (200, 302)
    if sample.access == MUNICIPALITY_LEADER and role != "leader":
        expected = (403,)
    assert response.status_code in expected, url
    if response.get("Content-Type", "").startswith("text/html"):
        csp = response["Content-Security-Policy"]
        script_src = [part for part in csp.split(";") if part.strip().startswith("script-src")]
        assert script_src, url
        assert "'unsafe-inline'" not in script_src[0], url


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_staff_see_everything(client, matrix_objects, name):
    sample = SAMPLES[name]
    client.force_login(matrix_objects.staff)
    url, response = _request(client, name, sample, matrix_objects)
    expected = (200,) if sample.method == "get" else (200, 302)
    assert response.status_code in expected, url


def test_admin_is_staff_only(client, matrix_objects):
    assert client.get("/admin/").status_code == 302
    client.force_login(matrix_objects.leader)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    client.force_login(matrix_objects.staff)
    assert client.get("/admin/").status_code == 200


# Search (issue 18): the matrix's objects are found by its members (every link opens for them)
# and by staff, never by the leader of another municipality.
SEARCH_WORDS = ["Zwaan", "KVU", "horecavereniging", "Cijfers", "Politiecijfers", "portiers"]


@pytest.mark.parametrize("role", ["leader", "editor", "viewer", "staff", "outsider"])
def test_search_finds_nothing_of_another_municipality(client, matrix_objects, role):
    client.force_login(getattr(matrix_objects, role))
    links = []
    for word in SEARCH_WORDS:
        response = client.get(reverse("search"), {"q": word})
        assert response.status_code == 200, word
        links += [r.url for group in response.context["groups"] for r in group.results]
    if role == "outsider":
        assert links == []
        return
    assert len(links) >= len(SEARCH_WORDS)
    for link in links:
        assert client.get(link).status_code == 200, link
