"""Database constraints of the core models hold even when Python validation is bypassed."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from kvu.models import Membership, Municipality, Project
from tests.factories import MembershipFactory


@pytest.mark.parametrize("code", ["GM12", "gm0123", "GM01234", "XX0123", "GM012A"])
def test_cbs_code_is_validated(db, code):
    municipality = Municipality(name="Test", cbs_code=code, province="UT")
    with pytest.raises(ValidationError) as error:
        municipality.full_clean()
    assert "cbs_code" in error.value.message_dict


def test_database_refuses_a_malformed_cbs_code(db):
    with pytest.raises(IntegrityError):
        Municipality.objects.create(name="Test", cbs_code="GM12", province="UT")


def test_one_membership_per_user_and_municipality(db):
    membership = MembershipFactory()
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            user=membership.user, municipality=membership.municipality, role="viewer"
        )


def test_database_refuses_an_unknown_role(db):
    membership = MembershipFactory()
    membership.role = "owner"
    with pytest.raises(IntegrityError):
        membership.save()


def test_database_refuses_a_ccv_step_out_of_range(project):
    with pytest.raises(IntegrityError):
        Project.objects.filter(pk=project.pk).update(ccv_step=8)


def test_visible_to_gives_staff_everything_and_members_their_own(
    project, leader, viewer, outsider, staff
):
    assert list(Project.objects.visible_to(leader)) == [project]
    assert list(Project.objects.visible_to(viewer)) == [project]
    assert list(Project.objects.visible_to(outsider)) == []
    assert list(Project.objects.visible_to(staff)) == [project]
    assert Project.objects.visible_to(leader).get().user_can_write is True
    assert Project.objects.visible_to(viewer).get().user_can_write is False
