"""Audit trail: changes to project data are recorded with who, when, what and from where."""

from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ProjectFactory


def _edit(client, project, leader, name, **extra):
    return client.post(
        reverse("project_edit", args=[project.pk]),
        {
            "municipality": project.municipality_id,
            "name": name,
            "nightlife_area": project.nightlife_area,
            "ccv_step": project.ccv_step,
            "project_leader": leader.pk,
        },
        **extra,
    )


def test_editing_a_project_records_who_what_and_from_where(client, project, leader):
    client.force_login(leader)
    response = _edit(client, project, leader, "KVU Centrum", REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(project).latest("timestamp")
    assert entry.actor == leader
    assert entry.changes_dict["name"] == ["KVU Binnenstad", "KVU Centrum"]
    assert entry.remote_addr == "192.0.2.7"
    assert entry.additional_data == {"municipality_id": project.municipality_id}


def test_a_forged_forwarded_for_header_is_not_recorded_as_the_address(client, project, leader):
    client.force_login(leader)
    _edit(
        client,
        project,
        leader,
        "KVU Centrum",
        REMOTE_ADDR="192.0.2.7",
        HTTP_X_FORWARDED_FOR="6.6.6.6",
    )
    assert LogEntry.objects.get_for_object(project).latest("timestamp").remote_addr == "192.0.2.7"


def test_leader_reads_the_log_of_own_municipality_only(client, project, leader, other_municipality):
    other = ProjectFactory(municipality=other_municipality, name="Geheim project elders")
    client.force_login(leader)
    _edit(client, project, leader, "KVU Centrum")
    page = client.get(reverse("audit_log", args=[project.municipality_id]))
    assert page.status_code == 200
    assert "KVU Centrum" in page.text
    assert other.name not in page.text
    assert client.get(reverse("audit_log", args=[other_municipality.pk])).status_code == 404


def test_log_can_be_filtered_to_one_object(client, project, leader):
    second = ProjectFactory(municipality=project.municipality, name="Tweede project")
    client.force_login(leader)
    url = reverse("audit_log", args=[project.municipality_id])
    page = client.get(url, {"type": "kvu.project", "id": project.pk}).text
    assert "KVU Binnenstad" in page
    assert second.name not in page


def test_viewer_and_editor_may_not_read_the_log(client, project, viewer, editor):
    for user in (viewer, editor):
        client.force_login(user)
        assert client.get(reverse("audit_log", args=[project.municipality_id])).status_code == 403


def test_audit_log_query_count_does_not_grow_with_entries(client, project, leader):
    """Prevents an N+1 on each entry's actor and content type."""
    client.force_login(leader)
    url = reverse("audit_log", args=[project.municipality_id])
    for i in range(3):
        _edit(client, project, leader, f"Naam {i}")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(30):
        _edit(client, project, leader, f"Andere naam {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


def test_the_log_is_read_only_in_the_admin(client, staff, project):
    client.force_login(staff)
    entry = LogEntry.objects.get_for_object(project).first()
    change_url = reverse("admin:auditlog_logentry_change", args=[entry.pk])
    before = entry.changes
    response = client.post(change_url, {"changes": "{}"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.changes == before
    assert client.get(reverse("admin:auditlog_logentry_add")).status_code == 403


def test_partner_changes_are_in_the_municipalitys_log(client, project, leader):
    from partners.models import ContactMoment
    from tests.factories import ParticipationFactory

    participation = ParticipationFactory(project=project)
    client.force_login(leader)
    response = client.post(
        reverse("contact_create", args=[project.pk, participation.pk]),
        {
            "contact-occurred_at": "2026-11-20T10:00",
            "contact-channel": "phone",
            "contact-direction": "outgoing",
            "contact-summary": "Gebeld over de presentatie",
        },
    )
    assert response.status_code == 302
    moment = ContactMoment.objects.get()
    entry = LogEntry.objects.get_for_object(moment).get()
    assert entry.actor == leader
    assert entry.additional_data == {"municipality_id": project.municipality_id}
    page = client.get(
        reverse("audit_log", args=[project.municipality_id]), {"type": "partners.contactmoment"}
    )
    assert (
        "Gebeld over de presentatie" in page.text
        or moment.participation.organisation.name in page.text
    )
