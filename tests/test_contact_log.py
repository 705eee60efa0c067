"""The project's contact log: filters, pagination, follow-ups marked done."""

import datetime

from django.urls import reverse
from django.utils import timezone

from partners.models import Channel, ContactMoment
from tests.factories import ContactMomentFactory, ParticipationFactory, ProjectFactory


def _at(day):
    return timezone.make_aware(datetime.datetime(2026, 11, day, 10, 0))


def test_the_log_filters_on_partner_channel_user_and_period(
    client_for, viewer, leader, editor, project
):
    a = ParticipationFactory(project=project, organisation__name="Politie")
    b = ParticipationFactory(project=project, organisation__name="KHN")
    ContactMomentFactory(
        participation=a, summary="A1", channel=Channel.PHONE, occurred_at=_at(2), recorded_by=leader
    )
    ContactMomentFactory(
        participation=a,
        summary="A2",
        channel=Channel.EMAIL,
        occurred_at=_at(10),
        recorded_by=editor,
    )
    ContactMomentFactory(
        participation=b,
        summary="B1",
        channel=Channel.VISIT,
        occurred_at=_at(20),
        recorded_by=leader,
    )
    client = client_for(viewer)
    url = reverse("contact_log", args=[project.pk])

    def summaries(params):
        return [m.summary for m in client.get(url, params).context["page"].object_list]

    assert summaries({}) == ["B1", "A2", "A1"]
    assert summaries({"participation": a.pk}) == ["A2", "A1"]
    assert summaries({"partner": "poli"}) == ["A2", "A1"]
    assert summaries({"channel": "email"}) == ["A2"]
    assert summaries({"recorded_by": leader.pk}) == ["B1", "A1"]
    assert summaries({"date_from": "2026-11-05", "date_to": "2026-11-15"}) == ["A2"]


def test_a_partner_of_another_project_cannot_be_used_as_filter(
    client_for, leader, project, partner
):
    elsewhere = ParticipationFactory(project=ProjectFactory())
    ContactMomentFactory(participation=elsewhere, summary="Elders")
    ContactMomentFactory(participation=partner, summary="Hier")
    response = client_for(leader).get(
        reverse("contact_log", args=[project.pk]), {"participation": elsewhere.pk}
    )
    assert response.status_code == 200
    assert "Elders" not in response.text
    assert "Sommige filters zijn niet geldig" in response.text


def test_bad_filter_values_give_a_page_not_an_error(client_for, leader, project, partner):
    response = client_for(leader).get(
        reverse("contact_log", args=[project.pk]),
        {"date_from": "31-31-2026", "recorded_by": "x", "page": "zeven"},
    )
    assert response.status_code == 200
    assert "Sommige filters zijn niet geldig" in response.text


def test_the_log_is_paginated(client_for, viewer, partner):
    ContactMoment.objects.bulk_create(
        ContactMoment(
            participation=partner,
            project_id=partner.project_id,
            occurred_at=_at(1),
            channel="phone",
            summary=f"n{i}",
        )
        for i in range(30)
    )
    url = reverse("contact_log", args=[partner.project_id])
    first = client_for(viewer).get(url).context["page"]
    second = client_for(viewer).get(url, {"page": 2}).context["page"]
    assert (len(first.object_list), len(second.object_list)) == (25, 5)
    assert "Pagina 1 van 2" in client_for(viewer).get(url).text


def test_log_pages_run_newest_first(client_for, viewer, partner):
    ContactMoment.objects.bulk_create(
        ContactMoment(
            participation=partner,
            project_id=partner.project_id,
            occurred_at=_at(1) + datetime.timedelta(minutes=i),
            channel="phone",
            summary=f"gesprek {i:02d}",
        )
        for i in range(30)
    )
    url = reverse("contact_log", args=[partner.project_id])
    client = client_for(viewer)
    first = client.get(url)
    second = client.get(url, {"page": 2})
    summaries = [m.summary for m in first.context["page"].object_list] + [
        m.summary for m in second.context["page"].object_list
    ]
    assert summaries == [f"gesprek {i:02d}" for i in reversed(range(30))]


def test_marking_a_follow_up_done(client_for, editor, partner):
    moment = ContactMomentFactory(participation=partner, follow_up_on=timezone.localdate())
    response = client_for(editor).post(
        reverse("follow_up_done", args=[partner.project_id, moment.pk]),
        {"next": reverse("dashboard")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert "De opvolging bij Café De Pijp is afgerond." in response.text
    moment.refresh_from_db()
    assert moment.follow_up_done


def test_a_contact_moment_of_another_project_cannot_be_marked_done(client_for, leader, project):
    elsewhere = ContactMomentFactory(
        participation=ParticipationFactory(
            project=ProjectFactory(municipality=project.municipality)
        ),
        follow_up_on=timezone.localdate(),
    )
    response = client_for(leader).post(reverse("follow_up_done", args=[project.pk, elsewhere.pk]))
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert not elsewhere.follow_up_done


def test_a_viewer_cannot_mark_a_follow_up_done(client_for, viewer, partner):
    moment = ContactMomentFactory(participation=partner, follow_up_on=timezone.localdate())
    response = client_for(viewer).post(
        reverse("follow_up_done", args=[partner.project_id, moment.pk])
    )
    assert response.status_code == 403
    moment.refresh_from_db()
    assert not moment.follow_up_done


def test_a_contact_takes_the_project_of_its_partner_and_shows_only_in_that_log(
    client_for, leader, partner
):
    """ContactMoment.project is a copy for the log's index; it must follow the participation."""
    other_partner = ParticipationFactory()
    mine = ContactMomentFactory(participation=partner, summary="bij ons")
    theirs = ContactMomentFactory(participation=other_partner, summary="elders")
    assert (mine.project_id, theirs.project_id) == (partner.project_id, other_partner.project_id)
    page = client_for(leader).get(reverse("contact_log", args=[partner.project_id]))
    assert [m.summary for m in page.context["page"].object_list] == ["bij ons"]


def test_the_partner_filter_is_a_name_search_not_a_select_of_every_partner(
    client_for, viewer, project
):
    """A project with hundreds of partners made a select nobody could use."""
    politie = ParticipationFactory(project=project, organisation__name="Politie")
    for number in range(30):
        ParticipationFactory(project=project, organisation__name=f"Café {number}")
    client = client_for(viewer)
    page = client.get(reverse("contact_log", args=[project.pk]), {"participation": politie.pk})
    assert 'name="partner"' in page.text
    assert '<select name="participation"' not in page.text
    assert "Café 12" not in page.text
    assert "Alleen de contacten met Politie." in page.text
