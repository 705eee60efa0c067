"""Accounts: logging in and out, password reset by e-mail, error pages, all in Dutch."""

import re

from django.core import mail
from django.urls import reverse
from django.views.defaults import server_error

from tests.factories import UserFactory


def test_every_page_requires_login(client, project):
    response = client.get(project.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_with_a_wrong_password_gives_a_dutch_message(client, leader):
    response = client.post(reverse("login"), {"username": leader.username, "password": "fout"})
    assert response.status_code == 200
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in response.text


def test_login_and_logout(client, leader):
    response = client.post(
        reverse("login"), {"username": leader.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard")).status_code == 302


def test_password_reset_sends_a_dutch_mail_with_a_working_link(client, db):
    user = UserFactory(email="petra@example.org")
    response = client.post(reverse("password_reset"), {"email": "petra@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Kies een nieuw wachtwoord voor KVU-werkplaats"
    link = re.search(r"http://testserver(/account/wachtwoord/herstellen/\S+)", message.body)
    assert link
    form_url = client.get(link.group(1)).url
    response = client.post(
        form_url, {"new_password1": "nieuw-en-lang-genoeg", "new_password2": "nieuw-en-lang-genoeg"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("nieuw-en-lang-genoeg")


def test_password_reset_for_an_unknown_address_sends_nothing_but_says_the_same(client, db):
    response = client.post(reverse("password_reset"), {"email": "onbekend@example.org"})
    assert response.status_code == 302
    assert not mail.outbox


def test_404_page_is_dutch_in_the_layout(client, leader):
    client.force_login(leader)
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text
    assert "KVU-werkplaats" in response.text


def test_500_page_is_dutch_in_the_layout(rf):
    """Django renders 500.html with an empty context: the layout must cope without a user."""
    request = rf.get("/")
    response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Er ging iets mis" in page
    assert "Direct naar de inhoud" in page


def test_403_page_is_dutch(client, project, viewer):
    client.force_login(viewer)
    response = client.get(reverse("project_edit", args=[project.pk]))
    assert response.status_code == 403
    assert "Dit mag je niet doen" in response.text
