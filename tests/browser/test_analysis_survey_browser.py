"""In Chromium: the leader sends the entrepreneurs' survey, an entrepreneur answers on a phone
through the personal link, the leader sees the result and the response rate."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from analysis.models import Analysis
from analysis.surveys.models import Answer, Response, Survey
from kvu.models import Project
from partners.models import Organisation, OrganisationKind, Participation, Person
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

LINK_PATH = re.compile(r"https?://[^/\s]+(/enquete/[A-Za-z0-9_\-]{40,}/)")
IDEA = "Meer licht in de steeg achter de Walstraat."


def _new_cafe(project):
    organisation = Organisation.objects.create(
        municipality=project.municipality, name="Café De Stoker", kind=OrganisationKind.HOSPITALITY
    )
    person = Person.objects.create(
        organisation=organisation,
        name="Mirjam Bosch",
        function="eigenaar",
        email="mirjam@cafedestoker.example",
    )
    Participation.objects.create(
        project=project, organisation=organisation, role="core", main_contact=person
    )
    return organisation


def test_leader_sends_the_survey_an_entrepreneur_answers_on_a_phone_once(
    page_for, demo_data, screenshot, audit
):
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    survey = Survey.objects.get(analysis=Analysis.objects.current(project), kind="entrepreneurs")
    _new_cafe(project)
    answered_before = survey.responses.filter(submitted_at__isnull=False).count()

    leader = page_for()
    login(leader, "projectleider")
    leader.goto(f"/projecten/{project.pk}/analyse/enquetes/")
    expect(leader.locator("#surveys")).to_contain_text("Enquête uitgaanspubliek")
    audit(leader, "survey list")
    screenshot(leader, "1-survey-list")
    leader.get_by_role("link", name="Enquête horecaondernemers", exact=True).click()
    expect(leader.locator("#questions-fixed")).to_be_visible()  # the demo's answers arrived
    audit(leader, "survey detail")
    leader.get_by_role(
        "link", name=re.compile("Persoonlijke links versturen|Send personal links")
    ).click()
    cafe = leader.get_by_label(re.compile("Café De Stoker: Mirjam Bosch"))
    expect(cafe).to_be_checked()  # a hospitality partner is proposed
    audit(leader, "send links")
    screenshot(leader, "2-send")
    mail.outbox.clear()
    leader.get_by_role("button", name=re.compile("Links versturen|Send the links")).click()
    expect(leader.get_by_role("heading", name="Enquête horecaondernemers", level=1)).to_be_visible()
    assert "/enquete/" not in leader.content()  # the link exists only in the e-mail

    (message,) = mail.outbox
    assert message.to == ["mirjam@cafedestoker.example"]
    link = LINK_PATH.search(message.body).group(1)

    phone = page_for(width=375, height=812)
    phone.goto(link)
    # The token is swapped for the session at once: it is in no later URL or Referer.
    assert phone.url.endswith("/enquete/")
    expect(phone.get_by_role("heading", name="Enquête horecaondernemers")).to_be_visible()
    expect(phone.get_by_text("Café De Stoker").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    audit(phone, "answer page on a phone")
    screenshot(phone, "3-answer-phone")

    phone.get_by_role("group", name=re.compile("Wat voor zaak heeft u")).get_by_label(
        "Café of bar"
    ).check()
    phone.get_by_role("group", name=re.compile("Hoe veilig voelt u zich")).get_by_label(
        "4", exact=True
    ).check()
    incidents = phone.get_by_role("group", name=re.compile("Met welke incidenten"))
    incidents.get_by_label("Vernieling").check()
    incidents.get_by_label("Agressie of geweld tegen personeel").check()
    phone.get_by_label(re.compile("Wat moet er volgens u als eerste verbeteren")).fill(IDEA)
    phone.get_by_role(
        "button", name=re.compile("Mijn antwoorden versturen|Send my answers")
    ).click()
    expect(phone.locator("#survey-answered")).to_be_visible()
    audit(phone, "answered")
    screenshot(phone, "4-answered-phone")

    response = Response.objects.get(
        survey=survey, participation__organisation__name="Café De Stoker"
    )
    assert response.submitted_at is not None
    answers = Answer.objects.filter(response=response).count()
    assert answers == 5

    # The leader sees the answer in the results and the response rate.
    leader.goto(f"/projecten/{project.pk}/analyse/enquetes/{survey.pk}/resultaten/")
    overall = leader.locator("#rate-overall")
    invited = survey.responses.filter(channel="online").count()
    expect(overall).to_contain_text(str(invited))
    expect(overall).to_contain_text(str(answered_before - 3 + 1))  # three answered on paper
    expect(leader.get_by_text(IDEA)).to_be_visible()
    expect(leader.locator("#rate-paper")).to_contain_text("3")
    audit(leader, "results")
    screenshot(leader, "5-results")

    # Opening the used link again: a thank-you, no questions, nothing answers twice.
    phone.goto(link)
    expect(phone.locator("#survey-answered")).to_be_visible()
    assert phone.locator("input[type=radio]").count() == 0
    again = phone.context.request.post(phone.url, form={"q1": "Anders"})
    assert again.status in (200, 403)  # answered page, or refused without a CSRF token
    assert phone.context.request.post(link, form={"q1": "Anders"}).status in (403, 405)
    screenshot(phone, "6-used-link-phone")
    assert Answer.objects.filter(response=response).count() == answers

    # A link that has expired explains itself and shows nothing of the survey.
    response.submitted_at = None
    response.expires_at = response.invited_at
    response.save()
    phone.goto(link)
    expect(phone.locator("#link-problem")).to_have_attribute("data-problem", "expired")
    assert "Café De Stoker" not in phone.content()
    audit(phone, "expired link")

    # The leader's other survey pages pass the same checks.
    visitors = Survey.objects.get(analysis=survey.analysis, kind="visitors")
    base = f"/projecten/{project.pk}/analyse/enquetes/"
    open_question = survey.questions.filter(kind="open").first()
    for label, path in [
        ("new survey", base + "nieuw/"),
        ("paper response", f"{base}{visitors.pk}/antwoorden/nieuw/"),
        ("open answers", f"{base}{survey.pk}/vragen/{open_question.pk}/antwoorden/"),
        ("visitors' survey", f"{base}{visitors.pk}/"),
    ]:
        leader.goto(path)
        audit(leader, label)
    screenshot(leader, "7-visitors-survey")
    audit.assert_clean()
