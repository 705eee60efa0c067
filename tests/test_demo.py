"""The demo command: idempotent, refuses production, and its five accounts can log in."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from kvu.demo import DEMO_PASSWORD
from kvu.models import Membership


def _row_counts():
    with connection.cursor() as cursor:
        tables = connection.introspection.django_table_names(only_existing=True)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def test_demo_is_idempotent(db, settings):
    settings.DEBUG = True
    call_command("demo")
    first = _row_counts()
    call_command("demo")
    assert _row_counts() == first


def test_demo_refuses_to_run_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo")
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize(
    ("username", "municipality", "role"),
    [
        ("beheer", None, None),
        ("projectleider", "Enschede", Membership.Role.LEADER),
        ("collega", "Enschede", Membership.Role.EDITOR),
        ("meelezer", "Enschede", Membership.Role.VIEWER),
        ("projectleider2", "Apeldoorn", Membership.Role.LEADER),
    ],
)
def test_demo_accounts_log_in_with_the_documented_password(
    client, db, settings, username, municipality, role
):
    settings.DEBUG = True
    call_command("demo")
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    user = get_user_model().objects.get(username=username)
    if municipality:
        membership = user.memberships.get()
        assert (membership.municipality.name, membership.role) == (municipality, role)
        assert client.get(reverse("dashboard")).text.count("KVU ") >= 1
    else:
        assert user.is_staff
