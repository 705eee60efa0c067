"""A PDF of unchanged content is served again, not laid out again; any change makes a new one."""

import datetime
import io
from unittest import mock

import pytest
import weasyprint
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from partners.declaration import services
from partners.models import Declaration
from tests.declaration_support import invited
from tests.factories import ParticipationFactory


@pytest.fixture
def layouts():
    """Counts WeasyPrint layouts while still producing the real PDF."""
    real = weasyprint.HTML.render
    with mock.patch.object(weasyprint.HTML, "render", autospec=True, side_effect=real) as spy:
        yield spy


def _sign(invitation, name):
    return services.answer_invitation(
        invitation_id=invitation.pk,
        decision="signed",
        signer_name=name,
        signer_function="eigenaar",
        text_sha256=Declaration.objects.get(pk=invitation.declaration_id).text_sha256,
        ip="192.0.2.1",
        user_agent="pytest",
    )


def _text(pdf):
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _later(minutes):
    moment = timezone.now() + datetime.timedelta(minutes=minutes)
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_unchanged_declaration_comes_back_with_its_first_moment(
    client_for, project, leader, layouts
):
    first_invitation, _token = invited(project, leader=leader, name="Café De Pijp")
    _sign(first_invitation, "Jan de Boer")
    declaration = Declaration.objects.get(pk=first_invitation.declaration_id)
    url = reverse("declaration_pdf", args=[project.pk, declaration.version])
    client = client_for(leader)
    first = client.get(url).content
    # The signer's confirmation e-mail carried the partner's copy (without the others' e-mail,
    # address and browser); the leader's download is the municipality's copy: two layouts.
    assert layouts.call_count == 2
    with _later(5):
        again = client.get(url).content
    assert again == first
    assert layouts.call_count == 2
    assert declaration.issued_pdfs.count() == 2

    second_invitation, _token = invited(
        project, leader=leader, name="Bar Centraal", declaration=declaration
    )
    _sign(second_invitation, "Fatima El Amrani")
    changed = client.get(url).content
    assert changed != first
    assert layouts.call_count == 4
    assert declaration.issued_pdfs.count() == 4
    assert "Fatima El Amrani" in _text(changed)
    assert "Fatima El Amrani" not in _text(first)


def test_each_language_has_its_own_pdf(client_for, project, leader, layouts):
    invitation, _token = invited(project, leader=leader)
    _sign(invitation, "Jan de Boer")
    url = reverse("declaration_pdf", args=[project.pk, 1])
    client = client_for(leader)
    dutch = client.get(url).content
    client.cookies["django_language"] = "en"
    english = client.get(url).content
    assert dutch != english
    # The partner's copy of the signer's e-mail, then the leader's copy in each language.
    assert layouts.call_count == 3


def test_status_report_is_laid_out_again_after_a_change(client_for, project, leader, layouts):
    url = reverse("status_report_pdf", args=[project.pk])
    client = client_for(leader)
    first = client.get(url).content
    assert client.get(url).content == first
    assert layouts.call_count == 1
    ParticipationFactory(project=project, organisation__name="Snackbar De Hoek")
    assert client.get(url).content != first
    assert layouts.call_count == 2
