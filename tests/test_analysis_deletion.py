"""Deleting what a safety analysis hangs off: a project or a partner with survey
links sent, findings and figures goes through (the database constraints allow Django's order of
deletion), and what belonged to it goes with it."""

import pytest
from django.db import IntegrityError, transaction

from analysis.models import Analysis, KeyFigure, Response
from analysis.surveys import services
from partners.models import OrganisationKind
from tests.factories import FindingFactory, KeyFigureFactory, ParticipationFactory, PersonFactory


@pytest.fixture
def sent(analysis, project, leader):
    """A survey with a personal link sent to a café of the project."""
    survey = services.create_survey(analysis=analysis, kind="entrepreneurs", user=leader)
    participation = ParticipationFactory(
        project=project, organisation__kind=OrganisationKind.HOSPITALITY
    )
    participation.main_contact = PersonFactory(organisation=participation.organisation)
    participation.save()
    services.invite_partners(survey=survey, participations=[participation], user=leader)
    return survey, participation


def test_a_project_with_sent_survey_links_and_findings_can_be_deleted(sent, analysis, project):
    FindingFactory(walk_through__analysis=analysis)
    KeyFigureFactory(analysis=analysis)
    project.delete()
    assert not Analysis.objects.exists()
    assert not Response.objects.exists()


def test_a_partner_with_a_sent_link_can_be_removed_and_its_link_goes_with_it(sent):
    survey, participation = sent
    assert Response.objects.filter(survey=survey).count() == 1
    participation.delete()
    assert not Response.objects.filter(survey=survey).exists()


def test_a_partner_gets_one_link_per_survey_in_the_database_too(sent):
    survey, participation = sent
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=survey, channel="online", participation=participation)


def test_a_negative_key_figure_is_refused_by_the_database(analysis):
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyFigure.objects.create(
            analysis=analysis, kind="incidents", year=2025, value=-1, source="x"
        )
