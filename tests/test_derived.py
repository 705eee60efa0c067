"""Cached derived figures (kvu/derived.py): read from the cache while a project is unchanged,
computed afresh after any change of its data, also by writes that bypass the model signals."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kvu import derived
from kvu.guide_services import tick_step
from kvu.models import Project
from meetings import services as meeting_services
from partners import services
from partners.models import Stage
from partners.privacy import services as privacy
from tests.factories import (
    ContactMomentFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
    ProjectFactory,
)


def _version(project):
    return Project.objects.get(pk=project.pk).data_version


def _overview(client, project):
    return client.get(reverse("project_detail", args=[project.pk]))


def test_the_project_overview_reads_guide_and_panels_from_the_cache_while_nothing_changes(
    client_for, leader, project, partner
):
    ContactMomentFactory(
        participation=partner, follow_up_on=timezone.localdate(), summary="Offerte nasturen."
    )
    client = client_for(leader)
    with CaptureQueriesContext(connection) as first:
        first_page = _overview(client, project)
    with CaptureQueriesContext(connection) as second:
        second_page = _overview(client, project)
    assert len(second) <= len(first) - 10, (len(first), len(second))
    assert "Offerte nasturen." in first_page.text
    assert "Offerte nasturen." in second_page.text


def test_a_change_shows_on_the_next_reading(client_for, leader, project, partner):
    client = client_for(leader)
    assert "Belt terug over de KVU." not in _overview(client, project).text
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    client.post(
        reverse("contact_create", args=[project.pk, partner.pk]),
        {
            "contact-occurred_at": timezone.localtime().strftime("%d-%m-%Y %H:%M"),
            "contact-channel": "phone",
            "contact-direction": "outgoing",
            "contact-summary": "Belt terug over de KVU.",
            "contact-follow_up_on": yesterday.strftime("%d-%m-%Y"),
        },
    )
    assert partner.contact_moments.count() == 1
    assert "Belt terug over de KVU." in _overview(client, project).text  # an overdue follow-up


def test_a_stale_copy_of_the_project_saved_later_cannot_bring_back_old_figures(
    client_for, leader, project, partner
):
    client = client_for(leader)
    stale = Project.objects.get(pk=project.pk)
    _overview(client, project)  # cached under the current version
    ContactMomentFactory(
        participation=partner, follow_up_on=timezone.localdate(), summary="Offerte nasturen."
    )
    stale.description = "Nieuwe omschrijving."
    stale.save()  # writes its old data_version back, but also a new updated_at
    assert "Offerte nasturen." in _overview(client, project).text


def test_figures_are_cached_per_language(client_for, leader, project):
    """Evidence texts are translated when computed: the English page must not get Dutch ones."""
    client = client_for(leader)
    assert "Nog geen gehouden kennismakingsgesprek" in _overview(client, project).text
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = _overview(client, project).text
    assert "No held introductory talk with the police" in page
    assert "Nog geen gehouden kennismakingsgesprek" not in page


def _log_contact(project, partner, user):
    services.log_contact(
        participation=partner,
        user=user,
        occurred_at=timezone.now(),
        channel="phone",
        direction="outgoing",
        summary="Gesprek",
    )


def _follow_up_done(project, partner, user):
    moment = ContactMomentFactory(participation=partner, follow_up_on=timezone.localdate())
    before = _version(project)
    services.mark_follow_up_done(contact_moment=moment)  # an UPDATE, no signal
    assert _version(project) > before


def _move_stage(project, partner, user):
    services.move_stage(participation=partner, to_stage=Stage.INTERESTED, user=user)


def _deactivate_organisation(project, partner, user):
    services.set_organisation_active(organisation=partner.organisation, active=False)


def _record_agreement(project, partner, user):
    services.record_agreement(
        participation=partner, user=user, date=timezone.localdate(), text="Afspraak"
    )


def _create_meeting(project, partner, user):
    meeting_services.create_meeting(
        project=project,
        user=user,
        data={
            "title": "Kennismaking",
            "kind": "intro_talk",
            "date": timezone.localdate(),
            "start_time": datetime.time(10),
            "end_time": datetime.time(11),
            "location": "Stadhuis",
        },
    )


def _invite(project, partner, user):
    meeting = MeetingFactory(project=project)
    person = PersonFactory(organisation=partner.organisation)
    before = _version(project)
    meeting_services.invite(meeting=meeting, persons=[person])  # a bulk insert, no signal
    assert _version(project) > before


def _tick_step(project, partner, user):
    tick_step(project=project, step_key="knowledge", user=user, ticked=True, note="Cursus")


def _remove_partner(project, partner, user):
    partner.delete()


def _anonymise_person(project, partner, user):
    person = PersonFactory(organisation=partner.organisation)
    before = _version(project)
    privacy.anonymise_person(person=person)  # UPDATEs, no signal
    assert _version(project) > before


@pytest.mark.parametrize(
    "write",
    [
        _log_contact,
        _follow_up_done,
        _move_stage,
        _deactivate_organisation,
        _record_agreement,
        _create_meeting,
        _invite,
        _tick_step,
        _remove_partner,
        _anonymise_person,
    ],
)
def test_every_kind_of_write_makes_the_cached_figures_stale(project, partner, leader, write):
    before = _version(project)
    write(project, partner, leader)
    assert _version(project) > before


def test_a_change_of_a_shared_organisation_reaches_every_project_it_takes_part_in(partner):
    elsewhere = ParticipationFactory(
        project=ProjectFactory(municipality=partner.project.municipality),
        organisation=partner.organisation,
    )
    unrelated = ProjectFactory(municipality=partner.project.municipality)
    before = {p.pk: _version(p) for p in (partner.project, elsewhere.project, unrelated)}
    partner.organisation.name = "Café De Pijp en Zonen"
    partner.organisation.save()
    after = {p.pk: _version(p) for p in (partner.project, elsewhere.project, unrelated)}
    assert after[partner.project_id] > before[partner.project_id]
    assert after[elsewhere.project_id] > before[elsewhere.project_id]
    assert after[unrelated.pk] == before[unrelated.pk]


def test_cached_many_computes_only_the_projects_not_in_the_cache(project):
    other = ProjectFactory(municipality=project.municipality)
    computed = []

    def compute(projects):
        computed.append(sorted(p.pk for p in projects))
        return {p.pk: p.name for p in projects}

    assert derived.cached_many([project], "test", compute) == {project.pk: project.name}
    both = derived.cached_many([project, other], "test", compute)
    assert both == {project.pk: project.name, other.pk: other.name}
    assert computed == [[project.pk], [other.pk]]


def test_the_dashboard_merges_each_projects_cached_follow_ups_in_date_order(
    client_for, leader, project, partner
):
    other = ParticipationFactory(project=ProjectFactory(municipality=project.municipality))
    today = timezone.localdate()
    ContactMomentFactory(
        participation=partner, follow_up_on=today + datetime.timedelta(days=3), summary="Later A"
    )
    ContactMomentFactory(
        participation=other, follow_up_on=today + datetime.timedelta(days=1), summary="Eerder B"
    )
    client = client_for(leader)
    page = client.get(reverse("dashboard")).text
    assert page.index("Eerder B") < page.index("Later A")
    ContactMomentFactory(
        participation=partner, follow_up_on=today + datetime.timedelta(days=2), summary="Nieuw A"
    )
    page = client.get(reverse("dashboard")).text  # project A changed: read again; B from cache
    assert page.index("Eerder B") < page.index("Nieuw A") < page.index("Later A")


def test_lazy_texts_are_kept_as_the_text_of_the_language_they_were_computed_in(project):
    """A lazy text is stored as plain text (a pickled one cost a class per reading); safe
    markup stays safe."""
    from django.utils.functional import lazy
    from django.utils.safestring import SafeString, mark_safe
    from django.utils.translation import gettext_lazy, override

    safe_lazy = lazy(lambda: mark_safe("<b>Café</b>"), SafeString)()
    with override("nl"):
        derived.cached(
            project, "texts", lambda: {"stage": gettext_lazy("committed"), "safe": safe_lazy}
        )
        value = derived.cached(project, "texts", lambda: pytest.fail("computed again"))
    assert value["stage"] == "toegezegd"
    assert type(value["stage"]) is str
    assert isinstance(value["safe"], SafeString)
    with override("en"):
        assert derived.cached(project, "texts", lambda: {"stage": "other"})["stage"] == "other"
