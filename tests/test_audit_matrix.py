"""Every change URL of the access matrix, done by the leader, leaves an entry in the change log.

A change URL of the matrix (`tests.test_access_matrix.SAMPLES`, access PROJECT_WRITE or CREATE)
without a case in `CHANGES` or a reason in `NOT_CHANGES` fails
`test_every_change_url_has_a_case`, as a URL without a sample fails the matrix.

Pages that show a form are posted with what the page itself renders (every field's current
value, hidden fields such as the edit version included) and one or two fields changed, so a
case keeps working when a form gains a field.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from auditlog.models import LogEntry
from django import forms
from django.contrib.messages import ERROR, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max, Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from analysis.models import Analysis
from kvu.demo import demo_pdf
from kvu.models import Document, GateDecision, GuideStepRecord, Membership, Project
from meetings.models import ActionItem, AgendaItem, Attendee, CalendarFeed, Meeting
from partners.models import (
    Agreement,
    Concern,
    ContactMoment,
    Declaration,
    Invitation,
    Organisation,
    Participation,
    Person,
)
from tests.factories import AgendaItemFactory, ProjectFactory
from tests.test_access_matrix import (
    CREATE,
    MUNICIPALITY_LEADER,
    PROJECT_WRITE,
    SAMPLES,
    _build_matrix,
)

ADD, CHANGE, REMOVE = LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE


@dataclass(frozen=True)
class Logged:
    """The change log must gain an entry with this action on this object."""

    model: type[Model]
    pk: int
    action: int = CHANGE


Case = Callable[[Client, SimpleNamespace], list[Logged]]


# --- performing a change the way the page does ----------------------------------------------


def _url(name, objs):
    return reverse(name, kwargs=SAMPLES[name].kwargs(objs))


def _value(bound_field):
    """What the browser sends for a field as rendered; None for nothing (an unticked box)."""
    widget = bound_field.field.widget
    value = bound_field.value()
    if isinstance(widget, forms.CheckboxInput):
        return "on" if value else None
    if isinstance(widget, forms.FileInput):
        return None
    formatted = widget.format_value(value)  # dates in the widget's format, choices as strings
    return "" if formatted is None else formatted


def _form_data(form, **changes) -> dict:
    """The form as the page rendered it, with `changes` (field names without prefix) applied."""
    data = {}
    for bound_field in form:
        value = _value(bound_field)
        if value is not None:
            data[bound_field.html_name] = value
    for name, value in changes.items():
        if value is None:
            data.pop(form.add_prefix(name), None)
        else:
            data[form.add_prefix(name)] = value
    return data


def _rendered(client, url, key="form"):
    """GET a page and return one of the forms it rendered (`key` may be "detail.agenda_form")."""
    response = client.get(url)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    value = response.context
    for part in key.split("."):
        value = value[part]
    return value


def _problems(response) -> list[str]:
    """Form errors and error messages of a response: why a change was refused."""
    refused = {}
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm) and value.is_bound and value.errors:
                refused[id(value)] = value
    problems = [f"{type(form).__name__}: {form.errors.as_json()}" for form in refused.values()]
    problems += [str(m) for m in get_messages(response.wsgi_request) if m.level >= ERROR]
    return problems


def _post(client, url, data=None):
    response = client.post(url, data or {})
    problems = _problems(response)
    assert response.status_code in (200, 302), f"POST {url}: {response.status_code} {problems}"
    assert not problems, f"POST {url} refused: {problems}"
    return response


def _edit(client, url_name, objs, /, key="form", **changes):
    """GET a form page of the matrix, change some fields, POST it back."""
    url = _url(url_name, objs)
    form = _rendered(client, url, key)
    return _post(client, url, _form_data(form, **changes))


def _choice(form, field, *, other_than=None):
    """The first real choice a rendered field offers (not the empty one, nor `other_than`)."""
    for value, _label in form.fields[field].choices:
        value = str(getattr(value, "value", value))
        if value and value != str(other_than):
            return value
    raise AssertionError(f"{field} offers no choice")


def _new(model, **lookup) -> int:
    """The pk of the one object the change made; `lookup` names what the case wrote into it."""
    return model.objects.get(**lookup).pk


def _date(days=7):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# --- the cases: one per change URL ----------------------------------------------------------


def project_create(client, objs):
    form = _rendered(client, reverse("project_create"))
    data = _form_data(
        form,
        municipality=objs.project.municipality_id,
        name="Audit Stationsgebied",
        nightlife_area="Stationsplein",
    )
    _post(client, reverse("project_create"), data)
    return [Logged(Project, _new(Project, name="Audit Stationsgebied"), ADD)]


def project_edit(client, objs):
    _edit(client, "project_edit", objs, description="Audit: nieuwe omschrijving.")
    return [Logged(Project, objs.project.pk)]


def guide_step(client, objs):
    data = {"action": "tick", "ticked": "on", "note": "Audit: kennis opgedaan bij het CCV."}
    _post(client, _url("guide_step", objs), data)
    record = _new(GuideStepRecord, project=objs.project, step="knowledge")
    return [Logged(GuideStepRecord, record, ADD)]


def gate(client, objs):
    url = _url("gate", objs)
    form = _rendered(client, url)
    data = _form_data(form)
    if "acknowledged" in form.fields:  # the matrix's project has required steps open
        acknowledged = [str(value) for value, _label in form.fields["acknowledged"].choices]
        data.update(acknowledged=acknowledged, reason="Audit: de werkgroep wil door.")
    _post(client, url, data)
    decision = _new(GateDecision, project=objs.project)
    return [Logged(Project, objs.project.pk), Logged(GateDecision, decision, ADD)]


def my_settings(client, objs):
    """The user's own page (LOGIN in the matrix), but its POST is a change."""
    from kvu.models import UserSettings

    _edit(client, "my_settings", objs, digest="daily")
    return [Logged(UserSettings, _new(UserSettings, user=objs.leader, digest="daily"), ADD)]


def participation_add(client, objs):
    url = _url("participation_add", objs)
    form = _rendered(client, url, "existing_form")
    # An organisation of the municipality that is not yet a partner of the project.
    organisation = objs.privacy_person.organisation_id
    data = {**_form_data(form, organisation=organisation), "which": "existing"}
    _post(client, url, data)
    new = _new(Participation, project=objs.project, organisation_id=organisation)
    return [Logged(Participation, new, ADD)]


def partner_import(client, objs):
    url = _url("partner_import", objs)
    form = _rendered(client, url)
    upload = SimpleUploadedFile(
        "partners.csv", b"organisatie;soort\nAudit Import BV;hospitality\n", "text/csv"
    )
    preview = _post(client, url, {**_form_data(form), "file": upload})
    _post(client, url, {**_form_data(preview.context["form"]), "confirm": "1"})
    organisation = _new(Organisation, name="Audit Import BV")
    participation = _new(Participation, project=objs.project, organisation_id=organisation)
    return [Logged(Organisation, organisation, ADD), Logged(Participation, participation, ADD)]


def participation_edit(client, objs):
    _edit(client, "participation_edit", objs, interests="Audit: een rustige straat.")
    return [Logged(Participation, objs.participation.pk)]


def participation_stage(client, objs):
    form = _rendered(client, _url("participation_detail", objs), "stage_form")
    stage = _choice(form, "stage", other_than=objs.participation.stage)
    _post(client, _url("participation_stage", objs), _form_data(form, stage=stage))
    return [Logged(Participation, objs.participation.pk)]


def contact_create(client, objs):
    form = _rendered(client, _url("participation_detail", objs), "contact_form")
    data = _form_data(
        form, channel=_choice(form, "channel"), summary="Audit: gebeld over de schouw."
    )
    _post(client, _url("contact_create", objs), data)
    moment = _new(ContactMoment, summary="Audit: gebeld over de schouw.")
    return [Logged(ContactMoment, moment, ADD)]


def agreement_create(client, objs):
    _edit(client, "agreement_create", objs, text="Audit: portiers bij de ingang.")
    return [Logged(Agreement, _new(Agreement, text="Audit: portiers bij de ingang."), ADD)]


def person_create(client, objs):
    _edit(client, "person_create", objs, name="Audit Persoon", email="audit@example.org")
    person = _new(Person, name="Audit Persoon", organisation=objs.participation.organisation)
    return [Logged(Person, person, ADD)]


def person_edit(client, objs):
    _edit(client, "person_edit", objs, function="Audit: bedrijfsleider")
    return [Logged(Person, objs.partner_person.pk)]


def organisation_edit(client, objs):
    _edit(client, "organisation_edit", objs, notes="Audit: nieuwe eigenaar.")
    return [Logged(Organisation, objs.participation.organisation_id)]


def organisation_set_active(client, objs):
    _post(client, _url("organisation_set_active", objs), {"active": "0"})
    return [Logged(Organisation, objs.participation.organisation_id)]


def follow_up_done(client, objs):
    ContactMoment.objects.filter(pk=objs.contact_moment.pk).update(
        follow_up_on=timezone.localdate(), follow_up_done=False
    )
    _post(client, _url("follow_up_done", objs))
    return [Logged(ContactMoment, objs.contact_moment.pk)]


def contact_edit(client, objs):
    _edit(client, "contact_edit", objs, summary="Audit: gecorrigeerd verslag.")
    return [Logged(ContactMoment, objs.contact_moment.pk)]


def contact_delete(client, objs):
    _post(client, _url("contact_delete", objs))
    return [Logged(ContactMoment, objs.contact_moment.pk, REMOVE)]


def agreement_edit(client, objs):
    _edit(client, "agreement_edit", objs, text="Audit: gecorrigeerde afspraak.")
    return [Logged(Agreement, objs.agreement.pk)]


def agreement_delete(client, objs):
    _post(client, _url("agreement_delete", objs))
    return [Logged(Agreement, objs.agreement.pk, REMOVE)]


def concern_create(client, objs):
    _edit(client, "concern_create", objs, partner_text="Audit: zorgen over de kosten.")
    concern = _new(Concern, partner_text="Audit: zorgen over de kosten.")
    return [Logged(Concern, concern, ADD)]


def concern_edit(client, objs):
    _edit(client, "concern_edit", objs, status="in_progress", response="Audit: uitgezocht.")
    return [Logged(Concern, objs.concern.pk)]


def concern_delete(client, objs):
    _post(client, _url("concern_delete", objs))
    return [Logged(Concern, objs.concern.pk, REMOVE)]


def person_anonymise(client, objs):
    _post(client, _url("person_anonymise", objs), {"confirm": "yes"})
    return [Logged(Person, objs.privacy_person.pk)]


def meeting_create(client, objs):
    data_changes = {
        "title": "Audit-overleg",
        "date": _date(21),
        "start_time": "19:30",
        "end_time": "21:00",
        "location": "Stadhuis",
    }
    url = _url("meeting_create", objs)
    form = _rendered(client, url)
    if not form["kind"].value():
        data_changes["kind"] = _choice(form, "kind")
    _post(client, url, _form_data(form, **data_changes))
    meeting = _new(Meeting, project=objs.project, title="Audit-overleg")
    return [Logged(Meeting, meeting, ADD)]


def meeting_feed_regenerate(client, objs):
    old = CalendarFeed.objects.get(project=objs.project).pk
    _post(client, _url("meeting_feed_regenerate", objs))
    new = CalendarFeed.objects.get(project=objs.project).pk
    return [Logged(CalendarFeed, old, REMOVE), Logged(CalendarFeed, new, ADD)]


def meeting_feed_revoke(client, objs):
    old = CalendarFeed.objects.get(project=objs.project).pk
    _post(client, _url("meeting_feed_revoke", objs))
    return [Logged(CalendarFeed, old, REMOVE)]


def meeting_edit(client, objs):
    _edit(client, "meeting_edit", objs, notes="Audit: koffie staat klaar.")
    return [Logged(Meeting, objs.meeting.pk)]


def _planned(objs):
    """The matrix's meeting was held; some changes only apply to a planned one."""
    Meeting.objects.filter(pk=objs.meeting.pk).update(status="planned")


def meeting_cancel(client, objs):
    _planned(objs)
    _post(client, _url("meeting_cancel", objs))
    return [Logged(Meeting, objs.meeting.pk)]


def meeting_agenda_add(client, objs):
    form = _rendered(client, _url("meeting_detail", objs), "detail.agenda_form")
    data = _form_data(form, title="Audit: rondvraag", duration_minutes="10")
    _post(client, _url("meeting_agenda_add", objs), data)
    item = _new(AgendaItem, meeting=objs.meeting, title="Audit: rondvraag")
    return [Logged(AgendaItem, item, ADD)]


def meeting_agenda_item_edit(client, objs):
    _edit(client, "meeting_agenda_item_edit", objs, minutes="Audit: besproken.")
    return [Logged(AgendaItem, objs.agenda_item.pk)]


def meeting_agenda_move(client, objs):
    AgendaItemFactory(meeting=objs.meeting)
    AgendaItem.objects.filter(pk=objs.agenda_item.pk).update(position=0)
    AgendaItem.objects.filter(meeting=objs.meeting).exclude(pk=objs.agenda_item.pk).update(
        position=1
    )
    _post(client, _url("meeting_agenda_move", objs), {"direction": "down"})
    return [Logged(AgendaItem, objs.agenda_item.pk)]


def document_upload(client, objs):
    target = f"meetings.meeting:{objs.meeting.pk}"
    data = {
        "file": SimpleUploadedFile("audit.pdf", demo_pdf("Audit", ["Cijfers"])),
        "title": "Audit: cijfers",
        "target": target,
    }
    _post(client, _url("document_upload", objs), data)
    return [Logged(Document, _new(Document, title="Audit: cijfers"), ADD)]


def document_delete(client, objs):
    _post(client, _url("document_delete", objs))
    return [Logged(Document, objs.document.pk, REMOVE)]


def meeting_agenda_delete(client, objs):
    _post(client, _url("meeting_agenda_delete", objs))
    return [Logged(AgendaItem, objs.agenda_item.pk, REMOVE)]


def meeting_invite(client, objs):
    # The partner's contact person: of a partner of the project, not yet invited.
    person = objs.partner_person.pk
    _edit(client, "meeting_invite", objs, persons=[str(person)])
    attendee = _new(Attendee, meeting=objs.meeting, person_id=person)
    return [Logged(Attendee, attendee, ADD)]


def meeting_uninvite(client, objs):
    _post(client, _url("meeting_uninvite", objs), {"attendee": objs.attendee.pk})
    return [Logged(Attendee, objs.attendee.pk, REMOVE)]


def meeting_invitations_send(client, objs):
    _planned(objs)
    Attendee.objects.filter(pk=objs.attendee.pk).update(invited_at=None)
    _post(client, _url("meeting_invitations_send", objs))
    return [Logged(Attendee, objs.attendee.pk)]


def meeting_attendance(client, objs):
    url = _url("meeting_attendance", objs)
    form = _rendered(client, url)
    field = f"a{objs.attendee.pk}"
    attendance = _choice(form, field, other_than=form[field].value())
    _post(client, url, _form_data(form, **{field: attendance}))
    return [Logged(Attendee, objs.attendee.pk)]


def meeting_agreement_add(client, objs):
    _edit(client, "meeting_agreement_add", objs, text="Audit: één aanspreekpunt.")
    return [Logged(Agreement, _new(Agreement, text="Audit: één aanspreekpunt."), ADD)]


def meeting_action_add(client, objs):
    changes = {
        "description": "Audit: cijfers opvragen",
        "owner": f"user:{objs.leader.pk}",
        "due_date": _date(),
    }
    _edit(client, "meeting_action_add", objs, **changes)
    action = _new(ActionItem, meeting=objs.meeting, description="Audit: cijfers opvragen")
    return [Logged(ActionItem, action, ADD)]


def meeting_action_status(client, objs):
    _post(client, _url("meeting_action_status", objs), {"status": "done"})
    return [Logged(ActionItem, objs.action_item.pk)]


def meeting_action_edit(client, objs):
    _edit(client, "meeting_action_edit", objs, description="Audit: cijfers per maand")
    return [Logged(ActionItem, objs.action_item.pk)]


def meeting_action_delete(client, objs):
    _post(client, _url("meeting_action_delete", objs))
    return [Logged(ActionItem, objs.action_item.pk, REMOVE)]


def declaration_create(client, objs):
    # The matrix's project has its declaration already (then nothing is made): another
    # project of the same municipality starts one.
    project = ProjectFactory(municipality=objs.project.municipality, project_leader=objs.leader)
    _post(client, reverse("declaration_create", kwargs={"pk": project.pk}))
    return [Logged(Declaration, _new(Declaration, project=project), ADD)]


def declaration_edit(client, objs):
    # The text was sent: saving makes version 2 and withdraws the open invitation.
    _edit(client, "declaration_edit", objs, goal="Audit: samen veilig uitgaan.")
    new = _new(Declaration, project=objs.project, goal="Audit: samen veilig uitgaan.")
    return [Logged(Declaration, new, ADD), Logged(Invitation, objs.invitation.pk)]


def declaration_invite(client, objs):
    person = objs.partner_person.pk
    _edit(client, "declaration_invite", objs, persons=[str(person)])
    invitation = _new(Invitation, declaration=objs.invitation.declaration, person_id=person)
    return [Logged(Invitation, invitation, ADD)]


def declaration_invitation_revoke(client, objs):
    _post(client, _url("declaration_invitation_revoke", objs))
    return [Logged(Invitation, objs.invitation.pk)]


def declaration_invitation_resend(client, objs):
    _post(client, _url("declaration_invitation_resend", objs))
    return [Logged(Invitation, objs.invitation.pk)]


def declaration_invitation_remind(client, objs):
    _post(client, _url("declaration_invitation_remind", objs))
    return [Logged(Invitation, objs.invitation.pk)]


def declaration_invitation_reinvite(client, objs):
    # The partner declined (without a reason, so no open concern): it is invited again.
    from partners.declaration.services import answer_invitation

    answer_invitation(
        invitation_id=objs.invitation.pk,
        decision="declined",
        signer_name="Audit",
        text_sha256=objs.invitation.declaration.text_sha256,
        ip=None,
        user_agent="",
    )
    _post(client, _url("declaration_invitation_reinvite", objs))
    again = _new(Invitation, participation=objs.invitation.participation, status="open")
    return [Logged(Invitation, again, ADD)]


def working_group(client, objs):
    """Readable by every member (so PROJECT_READ in the matrix), but its POST is a change."""
    from partners.models import WorkingGroupMember
    from tests.factories import ParticipationFactory, PersonFactory
    from tests.guide_builders import answer

    participation = ParticipationFactory(project=objs.project)
    PersonFactory(organisation=participation.organisation)
    answer(objs.invitation.declaration, participation)
    url = _url("working_group", objs)
    form = _rendered(client, url)
    _post(client, url, _form_data(form, members=[str(participation.pk)]))
    member = WorkingGroupMember.objects.get(participation=participation)
    return [Logged(WorkingGroupMember, member.pk, ADD)]


def working_group_member(client, objs):
    """Another contact person of the organisation represents it in the working group."""
    from tests.factories import PersonFactory

    other = PersonFactory(organisation=objs.participation.organisation)
    _edit(client, "working_group_member", objs, person=str(other.pk))
    return [Logged(type(objs.working_group_member), objs.working_group_member.pk)]


# Inbox of the contact log (issue 18).
def inbox_message(client, objs):
    """Readable by every member, but its POST (assigning the e-mail to a partner) is a change."""
    from partners.models import InboundMessage

    url = _url("inbox_message", objs)
    form = _rendered(client, url)
    data = _form_data(
        form,
        participation=str(objs.participation.pk),
        persons=[str(objs.partner_person.pk)],
        direction="outgoing",
    )
    _post(client, url, data)
    moment = InboundMessage.objects.get(pk=objs.inbound.pk).contact_moment_id
    return [Logged(InboundMessage, objs.inbound.pk), Logged(ContactMoment, moment, ADD)]


def inbox_message_discard(client, objs):
    from partners.models import InboundMessage

    _post(client, _url("inbox_message_discard", objs))
    return [Logged(InboundMessage, objs.inbound.pk)]


def logging_address_replace(client, objs):
    from partners.models import LoggingAddress

    _post(client, _url("logging_address_replace", objs))
    return [Logged(LoggingAddress, LoggingAddress.objects.get(project=objs.project).pk)]


# Team (issue 18): municipality-level changes by a leader (MUNICIPALITY_LEADER in the matrix).
def team_invite(client, objs):
    from kvu.team.models import TeamInvitation

    form = _rendered(client, _url("team", objs), "invite_form")
    data = _form_data(form, name="Audit Collega", email="audit.collega@example.org", role="viewer")
    _post(client, _url("team_invite", objs), data)
    invitation = _new(TeamInvitation, email="audit.collega@example.org")
    return [Logged(TeamInvitation, invitation, ADD)]


def team_member_role(client, objs):
    _post(client, _url("team_member_role", objs), {"role": "editor"})
    return [Logged(Membership, objs.team_membership.pk)]


def team_member_remove(client, objs):
    _post(client, _url("team_member_remove", objs))
    return [Logged(Membership, objs.team_membership.pk, REMOVE)]


def team_invitation_resend(client, objs):
    _post(client, _url("team_invitation_resend", objs))
    return [Logged(type(objs.team_invitation), objs.team_invitation.pk)]


def team_invitation_cancel(client, objs):
    _post(client, _url("team_invitation_cancel", objs))
    return [Logged(type(objs.team_invitation), objs.team_invitation.pk)]


# Pages every member may read whose POST changes data.
def analysis_start(client, objs):
    # The matrix's project has its analysis; a second project starts one.
    project = ProjectFactory(municipality=objs.project.municipality, project_leader=objs.leader)
    _post(client, reverse("analysis_start", args=[project.pk]))
    return [Logged(Analysis, Analysis.objects.get(project=project).pk, ADD)]


# -- analysis cases: area profile and sources --
def profile_edit(client, objs):
    _edit(client, "profile_edit", objs, description="Audit: het gebied rond de Oude Markt.")
    return [Logged(type(objs.analysis.profile), objs.analysis.profile.pk)]


def street_add(client, objs):
    from analysis.models import Street

    _edit(client, "street_add", objs, name="Audit: Walstraat")
    return [Logged(Street, _new(Street, name="Audit: Walstraat"), ADD)]


def street_edit(client, objs):
    _edit(client, "street_edit", objs, name="Audit: Oude Markt-west")
    return [Logged(type(objs.street), objs.street.pk)]


def street_delete(client, objs):
    _post(client, _url("street_delete", objs))
    return [Logged(type(objs.street), objs.street.pk, REMOVE)]


def establishment_edit(client, objs):
    from analysis.models import Establishment

    _edit(client, "establishment_edit", objs, kind="club", capacity="300")
    new = _new(Establishment, analysis=objs.analysis, participation=objs.participation)
    return [Logged(Establishment, new, ADD)]


def figure_add(client, objs):
    from analysis.models import KeyFigure

    changes = {"kind": "violence", "year": "2024", "value": "12", "source": "Audit: politie"}
    _edit(client, "figure_add", objs, **changes)
    return [Logged(KeyFigure, _new(KeyFigure, source="Audit: politie"), ADD)]


def figure_edit(client, objs):
    _edit(client, "figure_edit", objs, value="99", source="Audit: gecorrigeerd")
    return [Logged(type(objs.figure), objs.figure.pk)]


def figure_delete(client, objs):
    _post(client, _url("figure_delete", objs))
    return [Logged(type(objs.figure), objs.figure.pk, REMOVE)]


def source_edit(client, objs):
    _edit(client, "source_edit", objs, status="done", notes="Audit: cijfers ontvangen.")
    return [Logged(type(objs.source), objs.source.pk)]


def source_document_add(client, objs):
    data = {
        "file": SimpleUploadedFile("bvh.pdf", demo_pdf("Audit", ["Politiecijfers 2025"])),
        "title": "Audit: BVH-overzicht",
    }
    _post(client, _url("source_document_add", objs), data)
    return [Logged(Document, _new(Document, title="Audit: BVH-overzicht"), ADD)]


# -- analysis cases: walk-throughs --
def walk_through_create(client, objs):
    from analysis.models import WalkThrough

    _edit(client, "walk_through_create", objs, timing="day", date=_date(-2), route="Audit: Markt")
    return [Logged(WalkThrough, _new(WalkThrough, route="Audit: Markt"), ADD)]


def walk_through_edit(client, objs):
    from analysis.models import WalkThrough

    _edit(client, "walk_through_edit", objs, route="Audit: Walstraat")
    return [Logged(WalkThrough, objs.walk_through.pk)]


def walk_through_delete(client, objs):
    from analysis.models import Finding, WalkThrough

    _post(client, _url("walk_through_delete", objs))
    return [
        Logged(WalkThrough, objs.walk_through.pk, REMOVE),
        Logged(Finding, objs.finding.pk, REMOVE),
    ]


def finding_add(client, objs):
    from analysis.models import Finding

    text = "Audit: taxi's dubbel geparkeerd."
    _edit(client, "finding_add", objs, category="traffic", severity="orange", description=text)
    return [Logged(Finding, _new(Finding, description=text), ADD)]


def finding_edit(client, objs):
    from analysis.models import Finding

    _edit(client, "finding_edit", objs, severity="green", description="Audit: opgelost.")
    return [Logged(Finding, objs.finding.pk)]


def finding_photo(client, objs):
    import io

    from PIL import Image

    from analysis.models import Finding

    photo = io.BytesIO()
    Image.new("RGB", (120, 90), "navy").save(photo, "JPEG")
    upload = SimpleUploadedFile("foto.jpg", photo.getvalue(), "image/jpeg")
    _post(client, _url("finding_photo", objs), {"photo": upload})
    document = Finding.objects.get(pk=objs.finding.pk).photo_id
    return [Logged(Finding, objs.finding.pk), Logged(Document, document, ADD)]


def finding_delete(client, objs):
    from analysis.models import Finding

    _post(client, _url("finding_delete", objs))
    return [Logged(Finding, objs.finding.pk, REMOVE)]


# -- analysis cases: surveys --
def _required_answer(survey):
    """The one required question of a template survey (the feeling of safety), answered 4."""
    return {f"q{survey.questions.get(required=True).pk}": "4"}


def survey_create(client, objs):
    from analysis.surveys.models import Survey

    _edit(client, "survey_create", objs, kind="residents", title="Audit: bewoners")
    return [Logged(Survey, _new(Survey, title="Audit: bewoners"), ADD)]


def survey_edit(client, objs):
    _edit(client, "survey_edit", objs, title="Audit: ondernemers 2026")
    return [Logged(type(objs.survey), objs.survey.pk)]


def survey_send(client, objs):
    from analysis.surveys.models import Response
    from tests.factories import ParticipationFactory, PersonFactory

    participation = ParticipationFactory(project=objs.project)
    participation.main_contact = PersonFactory(organisation=participation.organisation)
    participation.save()
    _edit(client, "survey_send", objs, participations=[str(participation.pk)])
    response = _new(Response, survey=objs.survey, participation=participation)
    return [Logged(Response, response, ADD)]


def question_add(client, objs):
    from analysis.surveys.models import Question

    _edit(client, "question_add", objs, text="Audit: heeft u een portier?", kind="open")
    return [Logged(Question, _new(Question, text="Audit: heeft u een portier?"), ADD)]


def question_edit(client, objs):
    _edit(client, "question_edit", objs, text="Audit: soort zaak?")
    return [Logged(type(objs.question), objs.question.pk)]


def question_delete(client, objs):
    _post(client, _url("question_delete", objs))
    return [Logged(type(objs.question), objs.question.pk, REMOVE)]


def question_move(client, objs):
    _post(client, _url("question_move", objs), {"direction": "down"})
    return [Logged(type(objs.question), objs.question.pk)]


def response_add(client, objs):
    from analysis.surveys.models import Response

    survey = objs.response.survey
    _edit(client, "response_add", objs, respondent="Audit: bezoeker", **_required_answer(survey))
    return [Logged(Response, _new(Response, respondent="Audit: bezoeker"), ADD)]


def response_edit(client, objs):
    survey = objs.response.survey
    _edit(client, "response_edit", objs, respondent="Audit: bezoeker 2", **_required_answer(survey))
    return [Logged(type(objs.response), objs.response.pk)]


def response_delete(client, objs):
    _post(client, _url("response_delete", objs))
    return [Logged(type(objs.response), objs.response.pk, REMOVE)]


def response_resend(client, objs):
    _post(client, _url("response_resend", objs))
    return [Logged(type(objs.survey_link), objs.survey_link.pk)]


# -- analysis cases: report, knelpunten and guide --
def conclusion_add(client, objs):
    from analysis.models import Conclusion

    url = _url("conclusion_add", objs)
    form = _rendered(client, url)
    data = _form_data(
        form, kind="conclusion", text="Audit: een conclusie.", sources=[str(objs.source.pk)]
    )
    _post(client, url, data)
    return [Logged(Conclusion, _new(Conclusion, text="Audit: een conclusie."), ADD)]


def conclusion_edit(client, objs):
    _edit(client, "conclusion_edit", objs, text="Audit: een betere conclusie.")
    return [Logged(type(objs.conclusion), objs.conclusion.pk)]


def conclusion_delete(client, objs):
    _post(client, _url("conclusion_delete", objs))
    return [Logged(type(objs.conclusion), objs.conclusion.pk, REMOVE)]


def conclusion_move(client, objs):
    objs.analysis.conclusions.create(kind="conclusion", text="Audit: tweede.", position=1)
    _post(client, _url("conclusion_move", objs), {"direction": "down"})
    return [Logged(type(objs.conclusion), objs.conclusion.pk)]


def conclusions_agreed(client, objs):
    from tests.factories import MeetingFactory

    held = MeetingFactory(project=objs.project, status="held")
    _post(client, _url("conclusions_agreed", objs), {"meeting": str(held.pk)})
    return [Logged(Analysis, objs.analysis.pk)]


def knelpunt_add(client, objs):
    from analysis.models import Knelpunt

    url = _url("knelpunt_add", objs)
    form = _rendered(client, url)
    data = _form_data(form, theme="nuisance", title="Audit: een knelpunt")
    _post(client, url, data)
    return [Logged(Knelpunt, _new(Knelpunt, title="Audit: een knelpunt"), ADD)]


def knelpunt_edit(client, objs):
    _edit(client, "knelpunt_edit", objs, title="Audit: ander knelpunt")
    return [Logged(type(objs.knelpunt), objs.knelpunt.pk)]


def knelpunt_delete(client, objs):
    _post(client, _url("knelpunt_delete", objs))
    return [Logged(type(objs.knelpunt), objs.knelpunt.pk, REMOVE)]


def analysis_report_edit(client, objs):
    _edit(client, "analysis_report_edit", objs, summary="Audit: de samenvatting.")
    return [Logged(Analysis, objs.analysis.pk)]


def report_shared(client, objs):
    data = {"shared_on": timezone.localdate().isoformat(), "shared_with": "Audit: de raad"}
    _post(client, _url("report_shared", objs), data)
    return [Logged(Analysis, objs.analysis.pk)]


# -- plan of approach cases: the matrix's plan with one measure, adopted as version 1 --
def plan_start(client, objs):
    # The matrix's project has its plan; a second project with an analysis starts one.
    from analysis.services import start_analysis
    from plans.models import Plan

    project = ProjectFactory(municipality=objs.project.municipality, name="Audit Plan")
    start_analysis(project=project, user=objs.leader)
    _post(client, reverse("plan_start", args=[project.pk]))
    return [Logged(Plan, _new(Plan, project=project), ADD)]


def plan_edit(client, objs):
    _edit(client, "plan_edit", objs, goal="Audit: een kwart minder geweld.")
    return [Logged(type(objs.plan), objs.plan.pk)]


def measure_add(client, objs):
    from plans.models import Measure

    url = _url("measure_add", objs)
    form = _rendered(client, url)
    data = _form_data(
        form,
        theme="securing",
        title="Audit: monitoring",
        indicator="rapportages",
        unit="per jaar",
        responsible=str(objs.participation.pk),
        evidence="unknown",
    )
    _post(client, url, data)
    return [Logged(Measure, _new(Measure, title="Audit: monitoring"), ADD)]


def measure_edit(client, objs):
    _edit(client, "measure_edit", objs, title="Audit: urinoirs en toezicht")
    return [Logged(type(objs.measure), objs.measure.pk)]


def measure_delete(client, objs):
    _post(client, _url("measure_delete", objs))
    return [Logged(type(objs.measure), objs.measure.pk, REMOVE)]


def plan_adopt(client, objs):
    from plans.models import PlanVersion

    objs.measure.title = "Audit: gewijzigd na versie 1"
    objs.measure.save()
    _post(client, _url("plan_adopt", objs), {"meeting": str(objs.meeting.pk)})
    version = _new(PlanVersion, plan=objs.plan, number=2)
    decision = PlanVersion.objects.get(pk=version).decision_id
    return [Logged(PlanVersion, version, ADD), Logged(Agreement, decision, ADD)]


def plan_shared(client, objs):
    data = {"shared_on": timezone.localdate().isoformat(), "shared_with": "Audit: de raad"}
    _post(client, _url("plan_shared", objs), data)
    return [Logged(type(objs.plan), objs.plan.pk)]


# -- covenant engine cases (issue 21): the matrix's sent covenant with one open invitation --


def covenant_edit(client, objs):
    # The covenant was sent: saving a change makes version 2 and withdraws the open invitation.
    _edit(client, "covenant_edit", objs, sanctions="Audit: eerst een gesprek, dan een brief.")
    new = _new(Declaration, project=objs.project, kind="covenant", version=2)
    return [Logged(Declaration, new, ADD), Logged(Invitation, objs.covenant_invitation.pk)]


def covenant_invite(client, objs):
    person = objs.partner_person.pk
    _edit(client, "covenant_invite", objs, persons=[str(person)])
    covenant = objs.covenant_invitation.declaration
    return [Logged(Invitation, _new(Invitation, declaration=covenant, person_id=person), ADD)]


def covenant_departure(client, objs):
    from partners.declaration.services import answer_invitation
    from partners.models import Departure

    invitation = objs.covenant_invitation
    answer_invitation(
        invitation_id=invitation.pk,
        decision="signed",
        signer_name="Audit",
        signer_function="eigenaar",
        text_sha256=invitation.declaration.text_sha256,
        ip=None,
        user_agent="",
    )
    data = {
        "participation": invitation.participation_id,
        "left_on": timezone.localdate().isoformat(),
        "reason": "Audit: gesloten.",
    }
    _post(client, _url("covenant_departure", objs), data)
    return [Logged(Departure, _new(Departure, participation=invitation.participation), ADD)]


def covenant_invitation_revoke(client, objs):
    _post(client, _url("covenant_invitation_revoke", objs))
    return [Logged(Invitation, objs.covenant_invitation.pk)]


def covenant_invitation_resend(client, objs):
    _post(client, _url("covenant_invitation_resend", objs))
    return [Logged(Invitation, objs.covenant_invitation.pk)]


def covenant_invitation_remind(client, objs):
    _post(client, _url("covenant_invitation_remind", objs))
    return [Logged(Invitation, objs.covenant_invitation.pk)]


def covenant_invitation_reinvite(client, objs):
    from partners.declaration.services import answer_invitation

    invitation = objs.covenant_invitation
    answer_invitation(
        invitation_id=invitation.pk,
        decision="declined",
        signer_name="Audit",
        text_sha256=invitation.declaration.text_sha256,
        ip=None,
        user_agent="",
    )
    _post(client, _url("covenant_invitation_reinvite", objs))
    again = _new(
        Invitation,
        declaration=invitation.declaration,
        participation=invitation.participation,
        status="open",
    )
    return [Logged(Invitation, again, ADD)]


# -- covenant cases: the first draft from the plan and the partners' commitments --
def covenant_create(client, objs):
    # The matrix's project has its covenant; a second project with a plan drafts one.
    from analysis.services import start_analysis
    from plans.models import Plan

    project = ProjectFactory(municipality=objs.project.municipality, name="Audit Convenant")
    Plan.objects.create(project=project, analysis=start_analysis(project=project, user=None))
    _post(client, reverse("covenant_create", args=[project.pk]))
    return [Logged(Declaration, _new(Declaration, project=project, kind="covenant"), ADD)]


def commitment_add(client, objs):
    from plans.models import Commitment

    url = _url("commitment_add", objs)
    form = _rendered(client, url)
    data = _form_data(form, participation=str(objs.participation.pk), text="Audit: portiers.")
    _post(client, url, data)
    return [Logged(Commitment, _new(Commitment, text="Audit: portiers."), ADD)]


def commitment_edit(client, objs):
    _edit(client, "commitment_edit", objs, text="Audit: drie portiers.")
    return [Logged(type(objs.commitment), objs.commitment.pk)]


def commitment_delete(client, objs):
    _post(client, _url("commitment_delete", objs))
    return [Logged(type(objs.commitment), objs.commitment.pk, REMOVE)]


def commitment_move(client, objs):
    type(objs.commitment).objects.create(
        plan=objs.covenant_plan, participation=objs.participation, text="Audit: tweede.", position=1
    )
    _post(client, _url("commitment_move", objs), {"direction": "down"})
    return [Logged(type(objs.commitment), objs.commitment.pk)]


CHANGES_ON_READ_PAGES = {"my_settings", "working_group", "inbox_message"}

CHANGES: dict[str, Case] = {
    case.__name__: case
    for case in (
        project_create,
        project_edit,
        guide_step,
        gate,
        my_settings,
        participation_add,
        partner_import,
        participation_edit,
        participation_stage,
        contact_create,
        agreement_create,
        person_create,
        person_edit,
        organisation_edit,
        organisation_set_active,
        follow_up_done,
        contact_edit,
        contact_delete,
        agreement_edit,
        agreement_delete,
        concern_create,
        concern_edit,
        concern_delete,
        person_anonymise,
        meeting_create,
        meeting_feed_regenerate,
        meeting_feed_revoke,
        meeting_edit,
        meeting_cancel,
        meeting_agenda_add,
        meeting_agenda_item_edit,
        meeting_agenda_move,
        meeting_agenda_delete,
        document_upload,
        document_delete,
        meeting_invite,
        meeting_uninvite,
        meeting_invitations_send,
        meeting_attendance,
        meeting_agreement_add,
        meeting_action_add,
        meeting_action_status,
        meeting_action_edit,
        meeting_action_delete,
        declaration_create,
        declaration_edit,
        declaration_invite,
        declaration_invitation_revoke,
        declaration_invitation_resend,
        declaration_invitation_remind,
        declaration_invitation_reinvite,
        working_group,
        working_group_member,
        # Inbox of the contact log (issue 18).
        inbox_message,
        inbox_message_discard,
        logging_address_replace,
        # Team (issue 18).
        team_invite,
        team_member_role,
        team_member_remove,
        team_invitation_resend,
        team_invitation_cancel,
        # Safety analysis (issue 20).
        analysis_start,
        # -- analysis: area profile and sources --
        profile_edit,
        street_add,
        street_edit,
        street_delete,
        establishment_edit,
        figure_add,
        figure_edit,
        figure_delete,
        source_edit,
        source_document_add,
        # -- analysis: walk-throughs --
        walk_through_create,
        walk_through_edit,
        walk_through_delete,
        finding_add,
        finding_edit,
        finding_photo,
        finding_delete,
        # -- analysis: surveys --
        survey_create,
        survey_edit,
        survey_send,
        question_add,
        question_edit,
        question_delete,
        question_move,
        response_add,
        response_edit,
        response_delete,
        response_resend,
        # -- analysis: report, knelpunten and guide --
        conclusion_add,
        conclusion_edit,
        conclusion_delete,
        conclusion_move,
        conclusions_agreed,
        knelpunt_add,
        knelpunt_edit,
        knelpunt_delete,
        analysis_report_edit,
        report_shared,
        # -- plan of approach --
        plan_start,
        plan_edit,
        measure_add,
        measure_edit,
        measure_delete,
        plan_adopt,
        plan_shared,
        # -- covenant engine (issue 21) --
        covenant_edit,
        covenant_invite,
        covenant_departure,
        covenant_invitation_revoke,
        covenant_invitation_resend,
        covenant_invitation_remind,
        covenant_invitation_reinvite,
        # -- covenant --
        covenant_create,
        commitment_add,
        commitment_edit,
        commitment_delete,
        commitment_move,
    )
}

# URLs restricted to writers that change nothing, and why.
NOT_CHANGES: dict[str, str] = {
    # Personal data of a contact person is shown only to those who may change it: a read.
    "person_privacy": "shows what is stored about a person",
    "person_export": "downloads what is stored about a person as JSON",
    # Team (issue 18): the municipality-level pages of leaders that only read.
    "audit_log": "reads the change log",
    "team": "lists the team; its forms post to the team_* change URLs",
}


def test_every_change_url_has_a_case():
    writes = {
        name
        for name, s in SAMPLES.items()
        if s.access in (PROJECT_WRITE, CREATE, MUNICIPALITY_LEADER)  # the last: issue 18
    }
    writes |= CHANGES_ON_READ_PAGES
    missing = sorted(writes - CHANGES.keys() - NOT_CHANGES.keys())
    assert not missing, f"Change URLs without a case in the change-log test: {missing}"
    stale = sorted((CHANGES.keys() | NOT_CHANGES.keys()) - writes)
    assert not stale, f"Cases for URLs that are not change URLs of the matrix: {stale}"
    both = sorted(CHANGES.keys() & NOT_CHANGES.keys())
    assert not both, f"URLs listed as a change and as no change: {both}"


def _entries_after(pk):
    return [
        (entry.content_type.model_class(), entry.object_pk, entry.action)
        for entry in LogEntry.objects.filter(pk__gt=pk).select_related("content_type")
    ]


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_change_url_leaves_an_entry_naming_the_changed_object(client, db, name):
    objs = _build_matrix()
    client.force_login(objs.leader)
    before = LogEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    expected = CHANGES[name](client, objs)
    entries = _entries_after(before)
    for logged in expected:
        assert (logged.model, str(logged.pk), logged.action) in entries, (
            f"{name}: no {LogEntry.Action(logged.action).label} entry for "
            f"{logged.model.__name__} {logged.pk}; new entries: {entries}"
        )
