"""Meetings: planning from a template, agenda, invitees, attendance, agreements, action items."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from kvu.models import Membership
from meetings import services
from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Attendee,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from meetings.selectors import held_intro_talks
from partners.models import Agreement, OrganisationKind
from tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendeeFactory,
    MeetingFactory,
    MembershipFactory,
    ParticipationFactory,
    PersonFactory,
    ProjectFactory,
)


@pytest.fixture
def police(project):
    return ParticipationFactory(
        project=project, organisation__name="Politie team Zwolle", organisation__kind="police"
    )


@pytest.fixture
def police_chief(police):
    return PersonFactory(
        organisation=police.organisation, name="Ingrid Wolters", function="teamchef"
    )


@pytest.fixture
def meeting(project):
    return MeetingFactory(project=project)


@pytest.fixture
def past_meeting(project):
    """Attendance can be recorded from the day of the meeting on."""
    return MeetingFactory(project=project, date=timezone.localdate() - datetime.timedelta(days=1))


@pytest.fixture
def foreign_person(other_municipality):
    """A contact person of a partner in another municipality's project."""
    other_project = ProjectFactory(municipality=other_municipality)
    participation = ParticipationFactory(project=other_project)
    return PersonFactory(organisation=participation.organisation, name="Externe Persoon")


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _url(name, meeting, **extra):
    return reverse(name, kwargs={"project_pk": meeting.project_id, "pk": meeting.pk, **extra})


# --- planning ---


def test_new_intro_talk_starts_from_the_dutch_template(client_for, leader, project):
    response = client_for(leader).post(
        reverse("meeting_create", args=[project.pk]),
        {
            "kind": MeetingKind.INTRO_TALK,
            "title": "",
            "date": "2026-12-03",
            "start_time": "10:00",
            "end_time": "11:30",
            "location": "Stadhuis",
        },
    )
    meeting = Meeting.objects.get(project=project)
    assert response.status_code == 302
    assert meeting.title == "Kennismakingsgesprek over de KVU met burgemeester en politie"
    titles = list(meeting.agenda_items.values_list("title", flat=True))
    assert "Resultaten van KVU-projecten elders" in titles
    assert "De meerwaarde van een KVU voor deze gemeente" in titles


def test_entrepreneurs_template_covers_double_role_and_questions():
    from django.utils import translation

    from meetings.agenda_templates import agenda_template

    with translation.override("nl"):
        titles = [title for title, _minutes in agenda_template(MeetingKind.ENTREPRENEURS)]
    assert "Ervaringen met KVU-projecten elders" in titles
    assert "Wat een KVU van ondernemers vraagt en wat het hun oplevert" in titles
    assert "De dubbele rol van de gemeente: handhaver en partner" in titles
    assert "Vragen en zorgen" in titles


def test_database_refuses_a_meeting_of_no_length(project):
    """An end before the start is on the next day (tests/test_ics.py); equal times are refused."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(project=project, start_time=datetime.time(12), end_time=datetime.time(12))


def test_copy_takes_agenda_and_invitees_but_not_minutes_or_attendance(
    client_for, leader, meeting, police_chief
):
    AgendaItemFactory(meeting=meeting, title="Cijfers politie", minutes="Geheim verslag")
    AttendeeFactory(meeting=meeting, person=police_chief, attendance=Attendance.PRESENT)
    client_for(leader).post(
        reverse("meeting_create", args=[meeting.project_id]),
        {
            "kind": MeetingKind.WORKING_GROUP,
            "title": "Tweede werkgroep",
            "date": "2027-01-10",
            "start_time": "19:30",
            "end_time": "21:00",
            "location": "Stadhuis",
            "copy_from": meeting.pk,
        },
    )
    copy = Meeting.objects.get(title="Tweede werkgroep")
    item = copy.agenda_items.get()
    assert (item.title, item.minutes) == ("Cijfers politie", "")
    attendee = copy.attendees.get()
    assert (attendee.person, attendee.attendance) == (police_chief, "")


def test_copy_from_another_projects_meeting_is_refused(client_for, leader, project, outsider):
    foreign = MeetingFactory(project=ProjectFactory())
    response = client_for(leader).post(
        reverse("meeting_create", args=[project.pk]),
        {
            "kind": MeetingKind.OTHER,
            "title": "Kopie",
            "date": "2027-01-10",
            "start_time": "19:30",
            "end_time": "21:00",
            "location": "Stadhuis",
            "copy_from": foreign.pk,
        },
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Meeting.objects.filter(project=project).exists()


# --- agenda ---


def test_agenda_start_times_follow_the_durations(meeting):
    AgendaItemFactory(meeting=meeting, position=0, duration_minutes=20)
    AgendaItemFactory(meeting=meeting, position=1, duration_minutes=45)
    AgendaItemFactory(meeting=meeting, position=2, duration_minutes=10)
    starts = [start for _item, start in services.timed_agenda(meeting)]
    assert starts == [datetime.time(19, 30), datetime.time(19, 50), datetime.time(20, 35)]


def test_move_up_and_down_reorders_the_agenda(client_for, leader, meeting):
    first = AgendaItemFactory(meeting=meeting, position=0, title="A")
    second = AgendaItemFactory(meeting=meeting, position=1, title="B")
    client = client_for(leader)
    url = reverse(
        "meeting_agenda_move",
        kwargs={"project_pk": meeting.project_id, "meeting_pk": meeting.pk, "pk": second.pk},
    )
    client.post(url, {"direction": "up"})
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["B", "A"]
    client.post(url, {"direction": "down"})
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["A", "B"]
    response = client.post(url, {"direction": "down"})
    assert "verder" in " ".join(_messages(response))
    assert first.pk in meeting.agenda_items.values_list("pk", flat=True)


def test_add_edit_minutes_and_remove_agenda_item(client_for, leader, meeting):
    client = client_for(leader)
    client.post(
        _url("meeting_agenda_add", meeting),
        {"agenda-title": "Rondvraag", "agenda-duration_minutes": "10"},
    )
    item = AgendaItem.objects.get(meeting=meeting)
    kwargs = {"project_pk": meeting.project_id, "meeting_pk": meeting.pk, "pk": item.pk}
    client.post(
        reverse("meeting_agenda_item_edit", kwargs=kwargs),
        {"title": "Rondvraag", "duration_minutes": "10", "minutes": "Geen vragen."},
    )
    item.refresh_from_db()
    assert item.minutes == "Geen vragen."
    client.post(reverse("meeting_agenda_delete", kwargs=kwargs))
    assert not AgendaItem.objects.exists()


def test_agenda_item_of_another_meeting_gives_404(client_for, leader, meeting, project):
    other = AgendaItemFactory(meeting=MeetingFactory(project=project))
    url = reverse(
        "meeting_agenda_delete",
        kwargs={"project_pk": project.pk, "meeting_pk": meeting.pk, "pk": other.pk},
    )
    assert client_for(leader).post(url).status_code == 404
    assert AgendaItem.objects.filter(pk=other.pk).exists()


# --- invitees ---


def test_only_persons_of_this_projects_partners_and_municipal_users_are_invitable(
    project, police_chief, foreign_person, leader, outsider
):
    unrelated = PersonFactory(organisation__municipality=project.municipality)  # no participation
    assert list(services.invitable_persons(project)) == [police_chief]
    users = set(services.municipal_users(project))
    assert leader in users
    assert outsider not in users
    assert foreign_person not in services.invitable_persons(project)
    assert unrelated not in services.invitable_persons(project)


@pytest.mark.parametrize("page", ["meeting_invite", "meeting_action_add"])
def test_person_choices_never_show_another_municipalitys_people(
    client_for, leader, meeting, police_chief, foreign_person, outsider, page
):
    services.invite(meeting=meeting, persons=[police_chief])
    content = client_for(leader).get(_url(page, meeting)).content.decode()
    assert police_chief.name in content
    assert foreign_person.name not in content
    assert outsider.last_name not in content


def test_inviting_a_person_of_another_municipality_is_refused(
    client_for, leader, meeting, foreign_person, outsider
):
    client = client_for(leader)
    response = client.post(_url("meeting_invite", meeting), {"invite-persons": [foreign_person.pk]})
    assert "Selecteer een geldige keuze" in " ".join(_messages(response))
    response = client.post(_url("meeting_invite", meeting), {"invite-users": [outsider.pk]})
    assert "Selecteer een geldige keuze" in " ".join(_messages(response))
    assert not Attendee.objects.exists()


def test_duplicate_invitee_gives_a_dutch_message_and_changes_nothing(
    client_for, leader, meeting, police_chief
):
    client = client_for(leader)
    client.post(_url("meeting_invite", meeting), {"invite-persons": [police_chief.pk]})
    response = client.post(
        _url("meeting_invite", meeting),
        {"invite-persons": [police_chief.pk], "invite-users": [leader.pk]},
    )
    assert "Al uitgenodigd: Ingrid Wolters." in " ".join(_messages(response))
    assert Attendee.objects.filter(meeting=meeting).count() == 1


def test_database_refuses_a_duplicate_invitee(meeting, police_chief):
    from django.db import IntegrityError, transaction

    Attendee.objects.create(meeting=meeting, person=police_chief)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendee.objects.create(meeting=meeting, person=police_chief)


def test_service_refuses_another_projects_person(meeting, foreign_person):
    with pytest.raises(services.MeetingError):
        services.invite(meeting=meeting, persons=[foreign_person])
    assert not Attendee.objects.exists()


def test_attendance_is_recorded_and_ignores_other_meetings(
    client_for, leader, past_meeting, police_chief, project
):
    attendee = AttendeeFactory(meeting=past_meeting, person=police_chief)
    elsewhere = AttendeeFactory(meeting=MeetingFactory(project=project))
    client_for(leader).post(
        _url("meeting_attendance", past_meeting),
        {f"attendance-a{attendee.pk}": "present", f"attendance-a{elsewhere.pk}": "present"},
    )
    attendee.refresh_from_db()
    elsewhere.refresh_from_db()
    assert attendee.attendance == Attendance.PRESENT
    assert elsewhere.attendance == ""


def test_attendance_page_lists_each_invitee_and_keeps_recorded_values(
    client_for, leader, past_meeting, police_chief
):
    attendee = AttendeeFactory(meeting=past_meeting, person=police_chief, attendance="excused")
    response = client_for(leader).get(_url("meeting_attendance", past_meeting))
    assert response.status_code == 200
    content = response.content.decode()
    assert police_chief.name in content
    assert f'name="attendance-a{attendee.pk}"' in content
    assert '<option value="excused" selected>' in content


def test_attendance_page_without_invitees_sends_the_leader_back(client_for, leader, past_meeting):
    response = client_for(leader).get(_url("meeting_attendance", past_meeting))
    assert response.status_code == 302
    assert response["Location"].endswith("#invitees")
    assert "Er is nog niemand uitgenodigd." in _messages(response)


def test_bad_attendance_value_changes_nothing(client_for, leader, past_meeting, police_chief):
    attendee = AttendeeFactory(meeting=past_meeting, person=police_chief)
    response = client_for(leader).post(
        _url("meeting_attendance", past_meeting), {f"attendance-a{attendee.pk}": "dancing"}
    )
    assert "Er is niets opgeslagen" in " ".join(_messages(response))
    attendee.refresh_from_db()
    assert attendee.attendance == ""


# --- agreements and action items ---


def test_agreement_is_a_partners_agreement_tied_to_the_police(client_for, leader, meeting, police):
    client_for(leader).post(
        _url("meeting_agreement_add", meeting),
        {
            "agreement-text": "De politie deelt elk kwartaal de cijfers.",
            "agreement-participations": [police.pk],
        },
    )
    agreement = Agreement.objects.get()
    assert agreement.project == meeting.project
    assert list(police.agreements.all()) == [agreement]
    assert list(meeting.agreements.all()) == [agreement]
    assert agreement.recorded_by == leader


def test_agreement_with_another_projects_participation_is_refused(
    client_for, leader, meeting, other_municipality
):
    foreign = ParticipationFactory(project=ProjectFactory(municipality=other_municipality))
    response = client_for(leader).post(
        _url("meeting_agreement_add", meeting),
        {"agreement-text": "Iets", "agreement-participations": [foreign.pk]},
    )
    assert "Er is niets opgeslagen" in " ".join(_messages(response))
    assert not Agreement.objects.exists()


def test_action_item_owner_must_belong_to_this_project(
    client_for, leader, meeting, police_chief, foreign_person, outsider
):
    not_invited = PersonFactory(organisation=police_chief.organisation, name="Niet Uitgenodigd")
    services.invite(meeting=meeting, persons=[police_chief])
    client = client_for(leader)
    due = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    page = client.get(_url("meeting_action_add", meeting)).content.decode()
    assert "Niet Uitgenodigd" not in page  # the invitees, not every person of the project
    owners = (f"person:{foreign_person.pk}", f"user:{outsider.pk}", f"person:{not_invited.pk}")
    for owner in (*owners, "person:x", ""):
        response = client.post(
            _url("meeting_action_add", meeting),
            {"action-description": "Iets", "action-owner": owner, "action-due_date": due},
        )
        assert "Er is niets opgeslagen" in " ".join(_messages(response))
    assert not ActionItem.objects.exists()
    client.post(
        _url("meeting_action_add", meeting),
        {
            "action-description": "Cijfers aanleveren",
            "action-owner": f"person:{police_chief.pk}",
            "action-due_date": due,
        },
    )
    assert ActionItem.objects.get().owner_person == police_chief


def test_action_status_can_be_done_and_reopened(client_for, leader, meeting):
    action = ActionItemFactory(meeting=meeting, owner_user=leader)
    url = reverse(
        "meeting_action_status",
        kwargs={"project_pk": meeting.project_id, "meeting_pk": meeting.pk, "pk": action.pk},
    )
    client = client_for(leader)
    client.post(url, {"status": "done"})
    action.refresh_from_db()
    assert action.status == "done"
    client.post(url, {"status": "nonsense"})
    action.refresh_from_db()
    assert action.status == "done"


def test_open_and_overdue_action_items_show_on_dashboard_and_project(
    client_for, leader, meeting, outsider
):
    overdue = ActionItemFactory(
        meeting=meeting,
        owner_user=leader,
        description="Cijfers opvragen bij politie",
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    ActionItemFactory(meeting=meeting, owner_user=leader, description="Klaar", status="done")
    client = client_for(leader)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert overdue.description in dashboard
    assert "te laat" in dashboard
    assert "Klaar" not in dashboard
    overview = client.get(meeting.project.get_absolute_url()).content.decode()
    assert overdue.description in overview
    assert meeting.title in overview  # upcoming meeting
    assert (
        overdue.description not in client_for(outsider).get(reverse("dashboard")).content.decode()
    )


def test_participation_panel_lists_meetings_its_persons_attended(
    rf, leader, meeting, police, police_chief
):
    from meetings.panels import participation_panel

    meeting.status = MeetingStatus.HELD
    meeting.save()
    AttendeeFactory(meeting=meeting, person=police_chief, attendance=Attendance.PRESENT)
    request = rf.get("/")
    request.user = leader
    html = participation_panel(request, participation=police)
    assert meeting.title in html
    assert police_chief.name in html


# --- cancel / evidence ---


def _intro_talk(project):
    return held_intro_talks([project]).get(project.pk)


def test_intro_talk_evidence_needs_police_and_municipality_present(project, leader, police_chief):
    talk = MeetingFactory(project=project, kind=MeetingKind.INTRO_TALK, status=MeetingStatus.HELD)
    police = AttendeeFactory(meeting=talk, person=police_chief, attendance=Attendance.PRESENT)
    assert _intro_talk(project) is None
    mayor = AttendeeFactory(meeting=talk, user=leader, person=None, attendance=Attendance.ABSENT)
    assert _intro_talk(project) is None
    mayor.attendance = Attendance.PRESENT
    mayor.save()
    assert _intro_talk(project) == talk
    police.attendance = Attendance.EXCUSED
    police.save()
    assert _intro_talk(project) is None


def test_intro_talk_evidence_counts_a_municipality_organisation_person(project, police_chief):
    talk = MeetingFactory(project=project, kind=MeetingKind.INTRO_TALK, status=MeetingStatus.HELD)
    town = ParticipationFactory(project=project, organisation__kind=OrganisationKind.MUNICIPALITY)
    mayor = PersonFactory(organisation=town.organisation, name="Burgemeester")
    AttendeeFactory(meeting=talk, person=police_chief, attendance=Attendance.PRESENT)
    AttendeeFactory(meeting=talk, person=mayor, attendance=Attendance.PRESENT)
    assert _intro_talk(project) == talk


def test_viewer_sees_meeting_but_no_forms(client_for, viewer, meeting):
    content = client_for(viewer).get(meeting.get_absolute_url()).content.decode()
    assert meeting.title in content
    assert "Uitnodigen" not in content
    assert client_for(viewer).post(_url("meeting_cancel", meeting)).status_code == 403


def test_editor_of_same_municipality_may_invite_colleagues(client_for, editor, meeting):
    colleague = MembershipFactory(
        municipality=meeting.project.municipality, role=Membership.Role.VIEWER
    ).user
    client_for(editor).post(_url("meeting_invite", meeting), {"invite-users": [colleague.pk]})
    assert Attendee.objects.get().user == colleague


def test_demo_has_the_three_meetings_with_evidence_and_overdue_actions(db, settings):
    from django.core.management import call_command

    from kvu.models import Project

    settings.DEBUG = True
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    kinds = dict(Meeting.objects.filter(project=project).values_list("kind", "status"))
    assert kinds == {
        MeetingKind.INTRO_TALK: MeetingStatus.HELD,
        MeetingKind.ENTREPRENEURS: MeetingStatus.HELD,
        MeetingKind.WORKING_GROUP: MeetingStatus.PLANNED,
    }
    assert _intro_talk(project).kind == MeetingKind.INTRO_TALK
    actions = ActionItem.objects.filter(meeting__project=project)
    assert actions.overdue().exists()
    assert actions.open().filter(due_date__gte=timezone.localdate()).exists()
    assert Agreement.objects.filter(meetings__project=project, about_double_role=True).exists()
    count = Meeting.objects.count()
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Meeting.objects.count() == count


def test_removing_an_invitee_names_them_by_the_button_pressed(
    client_for, leader, meeting, police_chief, project
):
    attendee = AttendeeFactory(meeting=meeting, person=police_chief)
    elsewhere = AttendeeFactory(meeting=MeetingFactory(project=project))
    client = client_for(leader)
    url = _url("meeting_uninvite", meeting)
    for bad in ("", "abc", str(elsewhere.pk), "-1"):
        response = client.post(url, {"attendee": bad})
        assert response.status_code == 302
        assert "Er is niets gewijzigd: kies een genodigde uit de lijst." in _messages(response)
    assert Attendee.objects.filter(pk__in=[attendee.pk, elsewhere.pk]).count() == 2
    response = client.post(url, {"attendee": str(attendee.pk)})
    assert f"{police_chief.name} is niet meer uitgenodigd." in _messages(response)
    assert not Attendee.objects.filter(pk=attendee.pk).exists()
    assert Attendee.objects.filter(pk=elsewhere.pk).exists()


def test_an_agenda_longer_than_the_meeting_gets_a_warning(client_for, leader, project):
    meeting = MeetingFactory(
        project=project, start_time=datetime.time(19, 0), end_time=datetime.time(20, 0)
    )
    for position in range(4):
        AgendaItemFactory(meeting=meeting, position=position, duration_minutes=20)
    text = client_for(leader).get(meeting.get_absolute_url()).text
    assert "De agenda loopt 20 minuten uit na het einde van het overleg (60 minuten)" in text
    meeting.agenda_items.last().delete()
    assert "loopt" not in client_for(leader).get(meeting.get_absolute_url()).text


def test_a_future_meeting_cannot_be_marked_held_nor_get_attendance(
    client_for, leader, meeting, police_chief
):
    """A held meeting counts in the guide and the report: only once it took place."""
    AttendeeFactory(meeting=meeting, person=police_chief)
    client = client_for(leader)
    response = client.post(
        reverse("meeting_edit", args=[meeting.project_id, meeting.pk]),
        {
            "kind": meeting.kind,
            "title": meeting.title,
            "date": meeting.date.isoformat(),
            "start_time": "19:30",
            "end_time": "21:00",
            "location": meeting.location,
            "status": MeetingStatus.HELD,
        },
    )
    assert response.status_code == 200
    assert "pas als gehouden worden gemarkeerd" in response.text
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    response = client.post(_url("meeting_attendance", meeting), {})
    assert "vanaf de dag van het overleg" in " ".join(_messages(response))
    assert not meeting.attendees.exclude(attendance="").exists()
