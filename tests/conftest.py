"""Shared fixtures: a municipality with a leader, an editor, a viewer, and an outsider."""

import pytest
from django.core.cache import caches

from kvu.models import Membership
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    ParticipationFactory,
    ProjectFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _dutch_by_default(settings):
    settings.LANGUAGE_CODE = "nl"


@pytest.fixture(autouse=True)
def _no_cached_results_from_another_test():
    """Each test starts with an empty PDF cache (kvu/pdf.py), so it sees its own renderings."""
    caches["pdf"].clear()


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Zwolle", cbs_code="GM0193")


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(name="Deventer", cbs_code="GM0150")


@pytest.fixture
def leader(municipality):
    return MembershipFactory(municipality=municipality, role=Membership.Role.LEADER).user


@pytest.fixture
def editor(municipality):
    return MembershipFactory(municipality=municipality, role=Membership.Role.EDITOR).user


@pytest.fixture
def viewer(municipality):
    return MembershipFactory(municipality=municipality, role=Membership.Role.VIEWER).user


@pytest.fixture
def outsider(other_municipality):
    """A leader, but of another municipality: must never see this municipality's data."""
    return MembershipFactory(municipality=other_municipality, role=Membership.Role.LEADER).user


@pytest.fixture
def staff(db):
    return UserFactory(username="beheerder", is_staff=True, is_superuser=True)


@pytest.fixture
def project(municipality, leader):
    return ProjectFactory(municipality=municipality, name="KVU Binnenstad", project_leader=leader)


@pytest.fixture
def client_for(client):
    """Log a user in on the test client: `client_for(user)`."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def partner(project):
    """A café on the project's partner list."""
    return ParticipationFactory(project=project, organisation__name="Café De Pijp")


@pytest.fixture
def analysis(project, leader):
    """The project's safety analysis, started by its leader (profile and CCV's ten sources)."""
    from analysis.services import start_analysis

    return start_analysis(project=project, user=leader)
