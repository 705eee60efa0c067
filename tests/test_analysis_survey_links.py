"""Personal survey links, by the signing link's rules: sent by e-mail, only the hash stored,
expiring, answering once, and never opening another survey's data."""

import datetime
import hashlib
import re
import time

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from analysis.surveys import links, services
from analysis.surveys.models import Answer, Response
from partners.models import OrganisationKind
from tests.factories import (
    AnalysisFactory,
    ParticipationFactory,
    PersonFactory,
    ProjectFactory,
)

LINK = re.compile(r"https?://[^/\s]+(/enquete/([A-Za-z0-9_\-]{40,})/)")


@pytest.fixture
def survey(analysis, leader):
    return services.create_survey(analysis=analysis, kind="entrepreneurs", user=leader)


def _partner(project, name="Café De Pijp", kind=OrganisationKind.HOSPITALITY, email=None):
    participation = ParticipationFactory(
        project=project, organisation__name=name, organisation__kind=kind
    )
    person = PersonFactory(organisation=participation.organisation, name=f"Contact {name}")
    if email is not None:
        person.email = email
        person.save()
    participation.main_contact = person
    participation.save()
    return participation


def _send(survey, participation, leader):
    mail.outbox.clear()
    (response,) = services.invite_partners(
        survey=survey, participations=[participation], user=leader
    )
    (message,) = mail.outbox
    match = LINK.search(message.body)
    response.refresh_from_db()
    return response, match.group(1), match.group(2), message


def _valid(survey, **extra):
    data = {}
    for question in survey.questions.all():
        if question.required:
            data[f"q{question.pk}"] = "4"
    return {**data, **extra}


FORM = "/enquete/"


def _open(client, path):
    """Open the link as the partner does: the token is swapped for the session at once."""
    opened = client.get(path)
    assert opened.status_code == 302
    assert opened["Location"] == reverse("survey_answer_form") == FORM
    return FORM


@pytest.fixture
def link(survey, project, leader):
    """(response, path, token, message) of a link just sent to a café."""
    return _send(survey, _partner(project), leader)


# --- sending ---------------------------------------------------------------------------------


def test_leader_sends_links_to_the_chosen_partners(client_for, leader, survey, project):
    cafe = _partner(project, "Café De Kroon")
    club = _partner(project, "Club Het Dok")
    police = _partner(project, "Politie", kind=OrganisationKind.POLICE)
    _partner(project, "Zonder adres", email="")
    client = client_for(leader)
    url = reverse("survey_send", args=[project.pk, survey.pk])
    page = client.get(url)
    field = page.context["form"]["participations"]
    choices = {int(str(value)) for value, _label in field.field.choices}
    assert choices == {cafe.pk, club.pk, police.pk}  # without an address: not listed
    assert set(field.initial) == {cafe.pk, club.pk}  # the hospitality partners are proposed

    mail.outbox.clear()
    response = client.post(url, {"participations": [cafe.pk, club.pk]})
    assert response.status_code == 302
    responses = Response.objects.filter(survey=survey).order_by("pk")
    assert [r.participation_id for r in responses] == [cafe.pk, club.pk]
    for row in responses:
        assert row.channel == "online"
        assert row.person == row.participation.main_contact
        assert re.fullmatch(r"[0-9a-f]{64}", row.token_hash)
        assert row.invited_at is not None
        assert row.submitted_at is None
        assert row.expires_at - row.invited_at == datetime.timedelta(days=30)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cafe.main_contact.email, club.main_contact.email]
    )

    # Sent once: the partners invited are no longer offered.
    again = client.get(url).context["form"]["participations"]
    assert {int(str(v)) for v, _l in again.field.choices} == {police.pk}


def test_a_partner_of_another_project_cannot_be_chosen(client_for, leader, survey, project):
    stranger = _partner(ProjectFactory(municipality=project.municipality), "Elders")
    client = client_for(leader)
    response = client.post(
        reverse("survey_send", args=[project.pk, survey.pk]), {"participations": [stranger.pk]}
    )
    assert response.status_code == 200
    assert not Response.objects.exists()


def test_the_email_addresses_the_partner_formally_with_the_link(link, survey, project):
    response, path, _token, message = link
    assert message.to == [response.person.email]
    assert survey.title in message.subject
    assert path in message.body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert response.participation.organisation.name in message.body
    assert "&amp;" not in message.body
    assert "&#x27;" not in message.body


def test_the_token_is_256_bits_and_never_stored_in_plain(link):
    response, _path, token, _message = link
    assert len(token) >= 43  # 32 bytes, url-safe base64
    assert response.token_hash == hashlib.sha256(token.encode()).hexdigest()
    row = Response.objects.filter(pk=response.pk).values().get()
    assert token not in str(row)
    for entry in LogEntry.objects.all():
        assert token not in str(entry.changes)
        assert response.token_hash not in str(entry.changes)


def test_the_link_is_not_shown_to_the_leader(client_for, leader, link, survey, project):
    _response, _path, token, _message = link
    page = client_for(leader).get(survey.get_absolute_url())
    assert token not in page.content.decode()
    assert "/enquete/" not in page.content.decode()


# --- answering -------------------------------------------------------------------------------


def test_the_partner_answers_once_through_the_link_without_an_account(client, link, survey):
    response, path, token, _message = link
    form = _open(client, path)
    page = client.get(form)
    assert page.status_code == 200
    html = page.content.decode()
    assert token not in html
    assert response.participation.organisation.name in html
    assert f'name="q{survey.questions.first().pk}"' in html
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    question = survey.questions.get(position=4)  # several answers from a list
    data = _valid(survey, **{f"q{question.pk}": ["Vernieling", "Diefstal of inbraak"]})
    answered = client.post(form, data)
    assert answered.status_code == 302
    assert answered["Location"] == form  # without the token
    response.refresh_from_db()
    assert response.submitted_at is not None
    assert sorted(response.answers.values_list("value", flat=True)) == [
        "4",
        "Diefstal of inbraak",
        "Vernieling",
    ]

    # The used link thanks and cannot answer a second time.
    for again in (client.get(form), client.get(path)):
        assert again.status_code == 200
        assert 'id="survey-answered"' in again.content.decode()
        assert 'name="q' not in again.content.decode()  # no questions: no form to answer
    count = Answer.objects.count()
    second = client.post(form, _valid(survey))
    assert second.status_code == 200
    assert 'id="survey-answered"' in second.content.decode()
    assert Answer.objects.count() == count
    assert client.post(path, _valid(survey)).status_code == 405  # the token URL only swaps
    assert Answer.objects.count() == count


def test_the_service_refuses_a_used_link(link, survey):
    _response, _path, token, _message = link
    services.answer_online(token=token, answers={})
    with pytest.raises(services.LinkRefused) as refused:
        services.answer_online(token=token, answers={})
    assert refused.value.problem == links.LinkProblem.USED


def test_missing_required_answers_or_bad_values_save_nothing(client, link, survey):
    response, path, _token, _message = link
    path = _open(client, path)
    required = survey.questions.get(required=True)
    single = survey.questions.get(position=1)
    for data in (
        {},
        {f"q{required.pk}": "7"},
        {f"q{required.pk}": "4", f"q{single.pk}": "Casino"},
        {f"q{required.pk}": "4", f"q{survey.questions.get(position=13).pk}": "x" * 2001},
    ):
        page = client.post(path, data)
        assert page.status_code == 200
        assert 'id="answer-errors"' in page.content.decode()
    response.refresh_from_db()
    assert response.submitted_at is None
    assert not Answer.objects.exists()


def test_an_expired_link_shows_a_clear_page_without_data(client, link, survey):
    response, path, _token, _message = link
    form = _open(client, path)
    response.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    response.save()
    for page in (client.get(path), client.get(form), client.post(form, _valid(survey))):
        assert page.status_code == 410
        html = page.content.decode()
        assert 'data-problem="expired"' in html
        assert response.participation.organisation.name not in html
        assert survey.title not in html
    response.refresh_from_db()
    assert response.submitted_at is None
    assert not Answer.objects.exists()


def test_a_closed_survey_no_longer_accepts_answers(client, link, survey):
    _response, path, _token, _message = link
    form = _open(client, path)
    survey.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    survey.save()
    for page in (client.post(form, _valid(survey)), client.get(path)):
        assert page.status_code == 410
        assert 'data-problem="closed"' in page.content.decode()
    assert not Answer.objects.exists()


@pytest.mark.parametrize("token", ["x" * 43, "kort", "a" * 500, "%00"])
def test_an_unknown_link_is_not_found(client, link, token):
    page = client.get(reverse("survey_answer", args=[token]))
    assert page.status_code == 404
    assert 'data-problem="unknown"' in page.content.decode()


def test_the_hash_itself_does_not_open_the_survey(client, link):
    response, _path, _token, _message = link
    assert client.get(reverse("survey_answer", args=[response.token_hash])).status_code == 404


def test_a_link_never_answers_another_projects_survey(client, link, survey, leader):
    response, path, _token, _message = link
    other_analysis = AnalysisFactory()
    other = services.create_survey(analysis=other_analysis, kind="entrepreneurs", user=leader)
    foreign = {f"q{q.pk}": "4" for q in other.questions.filter(kind="scale")}
    assert client.post(_open(client, path), {**_valid(survey), **foreign}).status_code == 302
    assert not Answer.objects.filter(question__survey=other).exists()
    assert Answer.objects.filter(response=response).count() == 1
    assert not other.responses.exists()


def test_a_second_send_does_not_make_a_second_link_for_the_same_partner(
    survey, project, leader, link
):
    response, _path, _token, _message = link
    assert (
        services.invite_partners(
            survey=survey, participations=[response.participation], user=leader
        )
        == []
    )
    assert Response.objects.filter(survey=survey).count() == 1


def test_a_paper_response_has_no_link(survey, leader):
    paper = services.add_paper_response(survey=survey, respondent="R", answers={}, user=leader)
    assert paper.token_hash == ""
    assert paper.expires_at is None
    assert links.find("") is None


def test_too_many_requests_for_links_are_slowed_down(client, link):
    _response, _path, _token, _message = link
    unknown = reverse("survey_answer", args=["y" * 43])
    # The limit counts per minute (kvu/ratelimit.py): 31 requests that straddle the turn of a
    # minute land in two windows. Start them in a fresh one.
    if timezone.now().second > 45:
        time.sleep(61 - timezone.now().second)
    statuses = [client.get(unknown).status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429


def fuzz_objects(project) -> dict:
    """For tests/test_form_fuzz.py, on the demo: a new survey without answers (its questions may
    still change) with a fresh personal link, and a paper response of the visitors' survey."""
    from analysis.models import Analysis
    from analysis.surveys.models import Survey

    analysis = Analysis.objects.current(project)
    leader = project.project_leader
    draft = services.create_survey(analysis=analysis, kind="entrepreneurs", user=leader)
    partner = project.participations.exclude(main_contact__isnull=True).order_by("pk").first()
    online = Response.objects.create(
        survey=draft, channel="online", participation=partner, person=partner.main_contact
    )
    visitors = Survey.objects.get(analysis=analysis, kind="visitors")
    return {
        "survey_draft": draft,
        "survey_token": links.issue_token(online),
        "survey_paper": visitors.responses.filter(channel="paper").order_by("pk").first(),
    }


def test_a_new_link_replaces_the_old_one_for_a_partner_that_has_not_answered(
    client_for, client, leader, link, survey, project
):
    response, path, _token, _message = link
    mail.outbox.clear()
    url = reverse("response_resend", args=[project.pk, survey.pk, response.pk])
    assert client_for(leader).post(url).status_code == 302
    (message,) = mail.outbox
    new_path = LINK.search(message.body).group(1)
    assert new_path != path
    client.logout()
    assert client.get(path).status_code == 404  # the old link no longer opens the survey
    assert client.get(new_path, follow=True).status_code == 200


def test_no_new_link_once_the_partner_answered(client_for, leader, link, survey, project):
    response, _path, token, _message = link
    services.answer_online(token=token, answers={})
    mail.outbox.clear()
    url = reverse("response_resend", args=[project.pk, survey.pk, response.pk])
    assert client_for(leader).post(url).status_code == 302
    assert mail.outbox == []
    assert client_for(leader).get(url).status_code == 405


def test_the_answer_page_costs_the_same_queries_with_ten_times_the_questions(
    client, analysis, leader, project, link, survey
):
    """Prevents a query per question (or per option) on the partner's phone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _response, path, _token, _message = link
    wide = services.create_survey(analysis=analysis, kind="residents", user=leader)
    for number in range(10 * survey.questions.count()):
        services.add_question(
            survey=wide, text=f"Vraag {number}", kind="multiple", options="Ja\nNee\nWeet niet"
        )
    _wide_response, wide_path, _wide_token, _wide_message = _send(
        wide, _partner(project, "Café Breed"), leader
    )

    def count(url):
        _open(client, url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(FORM).status_code == 200
        return len(ctx.captured_queries)

    count(path)  # the first request of a minute opens the rate limiter's window
    assert count(wide_path) == count(path)


# --- the reviewer's findings -----------------------------------------------------------------


def test_a_value_posted_many_times_is_stored_once_online_and_on_paper(
    client, client_for, leader, link, survey, project
):
    response, path, _token, _message = link
    several = survey.questions.get(position=4)  # several answers from a list
    data = _valid(survey, **{f"q{several.pk}": ["Vernieling"] * 500 + ["Diefstal of inbraak"]})
    assert client.post(_open(client, path), data).status_code == 302
    assert sorted(
        Answer.objects.filter(response=response, question=several).values_list("value", flat=True)
    ) == ["Diefstal of inbraak", "Vernieling"]

    url = reverse("response_add", args=[project.pk, survey.pk])
    assert client_for(leader).post(url, {"respondent": "R", **data}).status_code == 302
    paper = survey.responses.get(channel="paper")
    assert paper.answers.filter(question=several).count() == 2


def test_the_token_is_swapped_for_the_session_and_never_in_a_later_url(client, link, survey):
    _response, path, token, _message = link
    opened = client.get(path)
    assert opened.status_code == 302
    assert token not in opened["Location"]
    page = client.get(opened["Location"])
    assert page.status_code == 200
    assert token not in page.content.decode()
    assert f'name="q{survey.questions.first().pk}"' in page.content.decode()


def test_the_answer_page_without_the_links_session_shows_no_survey(client, link, survey):
    response, _path, _token, _message = link
    page = client.get(FORM)
    assert page.status_code == 200
    assert 'data-problem="unknown"' in page.content.decode()
    assert survey.title not in page.content.decode()
    assert client.post(FORM, _valid(survey)).status_code == 200
    # A session holding the response's id but not its link's hash opens nothing either.
    session = client.session
    session[links.SESSION_KEY] = {"response": response.pk, "token_hash": "0" * 64}
    session.save()
    page = client.post(FORM, _valid(survey))
    assert 'data-problem="unknown"' in page.content.decode()
    response.refresh_from_db()
    assert response.submitted_at is None
    assert not Answer.objects.exists()


def test_a_new_link_ends_the_session_opened_with_the_old_one(client, link, survey):
    response, path, _token, _message = link
    form = _open(client, path)
    services.resend_link(response=response)
    page = client.post(form, _valid(survey))
    assert 'data-problem="unknown"' in page.content.decode()
    response.refresh_from_db()
    assert response.submitted_at is None


def test_opening_a_link_starts_a_new_session_key(client, link):
    _response, path, _token, _message = link
    client.get(FORM)
    session = client.session
    session["x"] = 1
    session.save()
    before = client.session.session_key
    _open(client, path)
    assert client.session.session_key != before  # no session fixation


def _select_for_update_models(monkeypatch):
    from django.db.models.query import QuerySet

    locked = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    return locked


def test_an_online_answer_locks_the_survey_like_a_question_change(monkeypatch, link, survey):
    from analysis.surveys.models import Survey

    _response, _path, token, _message = link
    locked = _select_for_update_models(monkeypatch)
    services.answer_online(token=token, answers={})
    assert locked[0] is Survey  # first the survey, then the response: one order, no deadlock
    assert Response in locked


def test_a_paper_response_locks_the_survey_like_a_question_change(monkeypatch, survey, leader):
    from analysis.surveys.models import Survey

    locked = _select_for_update_models(monkeypatch)
    services.add_paper_response(survey=survey, respondent="R", answers={}, user=leader)
    assert locked == [Survey]


def test_a_failed_survey_email_is_tried_again_later(settings, monkeypatch, survey, project, leader):
    from django.tasks import task_backends

    from analysis.surveys import emails, tasks

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    participation = _partner(project)
    response = Response.objects.create(
        survey=survey,
        channel="online",
        participation=participation,
        person=participation.main_contact,
    )

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(emails, "link_message", broken)
    with pytest.raises(OSError, match="SMTP down"):
        tasks.send_survey_link.call(response.pk)
    (retry,) = task_backends["default"].results
    assert retry.args == [response.pk, 2]
    assert retry.task.run_after > timezone.now() + datetime.timedelta(minutes=1)
    response.refresh_from_db()
    assert response.token_hash == ""  # the failed attempt kept no link

    task_backends["default"].results.clear()
    with pytest.raises(OSError, match="SMTP down"):
        tasks.send_survey_link.call(response.pk, tasks.MAX_ATTEMPTS)
    assert task_backends["default"].results == []  # the last attempt gives up


def test_a_closed_survey_or_one_without_questions_is_not_sent(client_for, leader, survey, project):
    partner = _partner(project)
    client = client_for(leader)
    url = reverse("survey_send", args=[project.pk, survey.pk])
    mail.outbox.clear()
    survey.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    survey.save()
    page = client.post(url, {"participations": [partner.pk]})
    assert page.status_code == 200
    assert page.context["form"].non_field_errors()

    survey.closes_on = timezone.localdate()  # closes today: still open
    survey.save()
    for question in survey.questions.all():
        services.delete_question(question=question)
    page = client.post(url, {"participations": [partner.pk]})
    assert page.status_code == 200
    assert page.context["form"].non_field_errors()
    assert not Response.objects.exists()
    assert mail.outbox == []


def test_a_survey_closing_today_with_questions_is_sent(client_for, leader, survey, project):
    partner = _partner(project)
    survey.closes_on = timezone.localdate()
    survey.save()
    url = reverse("survey_send", args=[project.pk, survey.pk])
    assert client_for(leader).post(url, {"participations": [partner.pk]}).status_code == 302
    assert Response.objects.filter(survey=survey).count() == 1


def test_a_double_submit_shows_when_the_first_one_was_received(client, monkeypatch, link, survey):
    """The second submit's response was loaded before the first one's lock was released."""
    response, path, token, _message = link
    form = _open(client, path)
    real = services.answer_online

    def first_submit_wins(**kwargs):
        real(token=token, answers={})  # the other tab's submit, just before this one
        return real(**kwargs)

    monkeypatch.setattr(services, "answer_online", first_submit_wins)
    page = client.post(form, _valid(survey))
    assert page.status_code == 200
    assert 'id="survey-answered"' in page.content.decode()
    response.refresh_from_db()
    assert page.context["response"].submitted_at == response.submitted_at is not None
