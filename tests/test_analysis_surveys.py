"""Surveys of the safety analysis: templates, questions until the first answer, paper answers,
results and the response rate, access, the change log and constant query counts."""

import pytest
from auditlog.models import LogEntry
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from analysis.surveys import selectors, services
from analysis.surveys.models import Answer, Question, Response, Survey
from analysis.surveys.templates import TEMPLATES
from partners.models import OrganisationKind
from tests.factories import ParticipationFactory, PersonFactory


@pytest.fixture
def survey(analysis, leader):
    return services.create_survey(analysis=analysis, kind="entrepreneurs", user=leader)


def _partner(project, name="Café De Pijp", kind=OrganisationKind.HOSPITALITY):
    participation = ParticipationFactory(
        project=project, organisation__name=name, organisation__kind=kind
    )
    participation.main_contact = PersonFactory(organisation=participation.organisation)
    participation.save()
    return participation


def _paper(survey, leader, **values):
    """A paper response; `values` maps question positions (q1, q2, ...) to lists of values."""
    questions = {f"q{q.position}": q for q in survey.questions.all()}
    answers = {questions[key]: value for key, value in values.items()}
    return services.add_paper_response(
        survey=survey, respondent="Bezoeker", answers=answers, user=leader
    )


def _field(question):
    return f"q{question.pk}"


# --- templates and creating -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["entrepreneurs", "visitors", "residents"])
def test_a_new_survey_starts_from_the_dutch_template_of_its_kind(analysis, leader, kind):
    survey = services.create_survey(analysis=analysis, kind=kind, user=leader)
    questions = list(survey.questions.all())
    assert [q.text for q in questions] == [item.text for item in TEMPLATES[kind]]
    assert [q.position for q in questions] == list(range(1, len(questions) + 1))
    assert {q.kind for q in questions} == {"single", "multiple", "scale", "open"}
    for question in questions:
        if question.kind in ("single", "multiple"):
            assert len(question.option_list) >= 2, question.text


def test_entrepreneurs_template_uses_the_formal_u_and_covers_ccvs_themes():
    texts = " ".join(item.text.lower() for item in TEMPLATES["entrepreneurs"])
    assert " je " not in f" {texts} "
    assert " jij " not in f" {texts} "
    assert " u " in f" {texts} " or " uw " in f" {texts} "
    for theme in ("veilig", "incident", "overlast", "drugs", "verlichting", "politie", "gemeente"):
        assert theme in texts, theme
    assert "sluitingstijden" in texts
    assert "verbeteren" in texts
    options = " ".join(o.lower() for item in TEMPLATES["entrepreneurs"] for o in item.options)
    assert "agressie" in options


def test_leader_creates_a_survey_through_the_page(client_for, leader, analysis, project):
    client = client_for(leader)
    url = reverse("survey_create", args=[project.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "visitors", "title": "", "closes_on": ""})
    survey = Survey.objects.get(analysis=analysis)
    assert response.status_code == 302
    assert response["Location"] == survey.get_absolute_url()
    assert survey.kind == "visitors"
    assert survey.title == "Enquête uitgaanspubliek"
    assert survey.created_by == leader
    assert survey.questions.count() == len(TEMPLATES["visitors"])


def test_an_unknown_kind_of_survey_is_refused_and_nothing_is_made(client_for, leader, analysis):
    client = client_for(leader)
    response = client.post(
        reverse("survey_create", args=[analysis.project_id]), {"kind": "tourists"}
    )
    assert response.status_code == 200
    assert not Survey.objects.exists()


def test_editing_title_introduction_and_closing_day(client_for, leader, survey, project):
    client = client_for(leader)
    url = reverse("survey_edit", args=[project.pk, survey.pk])
    response = client.post(
        url, {"title": "Ondernemers 2026", "introduction": "Graag.", "closes_on": "2026-12-31"}
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.title, survey.introduction, str(survey.closes_on)) == (
        "Ondernemers 2026",
        "Graag.",
        "2026-12-31",
    )


def test_a_title_with_a_line_break_is_refused(client_for, leader, survey, project):
    client = client_for(leader)
    url = reverse("survey_edit", args=[project.pk, survey.pk])
    response = client.post(url, {"title": "Twee\nregels", "introduction": "", "closes_on": ""})
    assert response.status_code == 200
    survey.refresh_from_db()
    assert survey.title == "Enquête horecaondernemers"


# --- questions until the first answer --------------------------------------------------------


def test_adding_a_question_puts_it_last_with_options_one_a_line(client_for, leader, survey):
    client = client_for(leader)
    url = reverse("question_add", args=[survey.analysis.project_id, survey.pk])
    response = client.post(
        url,
        {
            "text": "Heeft u een portier?",
            "kind": "single",
            "options": " Ja \n\nNee\n",
            "required": "on",
        },
    )
    assert response.status_code == 302
    question = survey.questions.order_by("-position").first()
    assert question.text == "Heeft u een portier?"
    assert question.option_list == ["Ja", "Nee"]
    assert question.options == "Ja\nNee"
    assert question.required
    assert question.position == len(TEMPLATES["entrepreneurs"]) + 1


@pytest.mark.parametrize(
    "options",
    ["Alleen ja", "Ja\nja", "\n".join(f"Optie {i}" for i in range(31)), "x" * 201 + "\nNee"],
)
def test_a_list_question_needs_two_to_thirty_distinct_short_options(
    client_for, leader, survey, options
):
    client = client_for(leader)
    before = survey.questions.count()
    url = reverse("question_add", args=[survey.analysis.project_id, survey.pk])
    response = client.post(url, {"text": "Vraag", "kind": "multiple", "options": options})
    assert response.status_code == 200
    assert survey.questions.count() == before


def test_a_scale_question_keeps_no_options(client_for, leader, survey):
    client = client_for(leader)
    url = reverse("question_add", args=[survey.analysis.project_id, survey.pk])
    client.post(url, {"text": "Cijfer?", "kind": "scale", "options": "a\nb"})
    assert survey.questions.get(text="Cijfer?").options == ""


def test_editing_deleting_and_moving_questions(client_for, leader, survey):
    client = client_for(leader)
    project_pk = survey.analysis.project_id
    first, second = list(survey.questions.all())[:2]
    client.post(
        reverse("question_edit", args=[project_pk, survey.pk, first.pk]),
        {"text": "Soort zaak?", "kind": "single", "options": "Café\nClub"},
    )
    first.refresh_from_db()
    assert first.text == "Soort zaak?"
    assert first.option_list == ["Café", "Club"]

    client.post(
        reverse("question_move", args=[project_pk, survey.pk, first.pk]), {"direction": "down"}
    )
    assert list(survey.questions.values_list("pk", flat=True))[:2] == [second.pk, first.pk]
    client.post(
        reverse("question_move", args=[project_pk, survey.pk, first.pk]), {"direction": "up"}
    )
    assert list(survey.questions.values_list("pk", flat=True))[:2] == [first.pk, second.pk]

    delete_url = reverse("question_delete", args=[project_pk, survey.pk, second.pk])
    assert client.get(delete_url).status_code == 200
    assert Question.objects.filter(pk=second.pk).exists()  # a GET only asks
    client.post(delete_url)
    assert not Question.objects.filter(pk=second.pk).exists()


def test_moving_the_first_question_up_changes_nothing(survey):
    first = survey.questions.first()
    order = list(survey.questions.values_list("pk", flat=True))
    assert services.move_question(question=first, up=True) is False
    assert list(survey.questions.values_list("pk", flat=True)) == order


def test_the_question_list_is_fixed_once_an_answer_arrived(client_for, leader, survey):
    client = client_for(leader)
    project_pk = survey.analysis.project_id
    question = survey.questions.first()
    _paper(survey, leader, q2=["4"])
    before = list(survey.questions.values_list("pk", "text", "position"))
    attempts = [
        (reverse("question_add", args=[project_pk, survey.pk]), {"text": "Nieuw", "kind": "open"}),
        (
            reverse("question_edit", args=[project_pk, survey.pk, question.pk]),
            {"text": "Anders", "kind": "open"},
        ),
        (reverse("question_delete", args=[project_pk, survey.pk, question.pk]), {}),
        (
            reverse("question_move", args=[project_pk, survey.pk, question.pk]),
            {"direction": "down"},
        ),
    ]
    for url, data in attempts:
        for response in (client.get(url), client.post(url, data)):
            if response.status_code == 405:  # the move is POST only
                continue
            assert response.status_code == 302, url
            assert response["Location"] == survey.get_absolute_url()
            assert any(
                "fixed" in str(m) or "vast" in str(m) for m in get_messages(response.wsgi_request)
            )
    assert list(survey.questions.values_list("pk", "text", "position")) == before
    page = client.get(survey.get_absolute_url())
    assert 'id="questions-fixed"' in page.content.decode()
    assert reverse("question_add", args=[project_pk, survey.pk]) not in page.content.decode()


def test_the_services_refuse_question_changes_after_the_first_answer(survey, leader):
    _paper(survey, leader, q2=["3"])
    question = survey.questions.first()
    with pytest.raises(services.QuestionListFixed):
        services.add_question(survey=survey, text="Nieuw", kind="open")
    with pytest.raises(services.QuestionListFixed):
        services.update_question(question=question, text="Nieuw", kind="open")
    with pytest.raises(services.QuestionListFixed):
        services.delete_question(question=question)
    with pytest.raises(services.QuestionListFixed):
        services.move_question(question=question, up=False)


def test_an_invited_but_unanswered_link_keeps_the_question_list_open(survey, project, leader):
    services.invite_partners(survey=survey, participations=[_partner(project)], user=leader)
    assert not selectors.has_answers(survey)
    services.add_question(survey=survey, text="Nog een vraag", kind="open")


# --- paper responses -------------------------------------------------------------------------


def _paper_data(survey, **by_position):
    data = {"respondent": "Café De Kroon"}
    for question in survey.questions.all():
        if f"q{question.position}" in by_position:
            data[_field(question)] = by_position[f"q{question.position}"]
    return data


def test_leader_types_in_a_paper_response(client_for, leader, survey):
    client = client_for(leader)
    url = reverse("response_add", args=[survey.analysis.project_id, survey.pk])
    assert client.get(url).status_code == 200
    data = _paper_data(
        survey, q1="Café of bar", q2="4", q4=["Vernieling", "Diefstal of inbraak"], q13="Licht"
    )
    response = client.post(url, data)
    assert response.status_code == 302
    paper = Response.objects.get(survey=survey)
    assert paper.channel == "paper"
    assert paper.entered_by == leader
    assert paper.submitted_at is not None
    assert paper.respondent == "Café De Kroon"
    assert paper.token_hash == ""
    assert sorted(paper.answers.values_list("value", flat=True)) == sorted(
        ["Café of bar", "4", "Vernieling", "Diefstal of inbraak", "Licht"]
    )


def test_save_and_next_returns_to_an_empty_form(client_for, leader, survey):
    client = client_for(leader)
    url = reverse("response_add", args=[survey.analysis.project_id, survey.pk])
    response = client.post(url, {**_paper_data(survey, q2="3"), "another": "1"})
    assert response["Location"] == url


@pytest.mark.parametrize(
    "changes",
    [
        {"q2": ""},  # required scale left empty
        {"q2": "6"},  # outside 1-5
        {"q2": "0"},
        {"q1": "Casino"},  # not one of the options
        {"q4": ["Vernieling", "Bommelding"]},
        {"q13": "x" * 2001},  # open answer too long
    ],
)
def test_invalid_answers_are_refused_and_nothing_is_saved(client_for, leader, survey, changes):
    client = client_for(leader)
    url = reverse("response_add", args=[survey.analysis.project_id, survey.pk])
    data = _paper_data(survey, **{"q2": "4", **changes})
    response = client.post(url, data)
    assert response.status_code == 200
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_correcting_a_paper_response_changes_only_what_differs(client_for, leader, survey):
    paper = _paper(survey, leader, q2=["2"], q4=["Vernieling", "Diefstal of inbraak"])
    kept = paper.answers.get(value="Vernieling")
    client = client_for(leader)
    url = reverse("response_edit", args=[survey.analysis.project_id, survey.pk, paper.pk])
    form = client.get(url).context["form"]
    assert form[_field(survey.questions.get(position=2))].value() == "2"
    data = _paper_data(survey, q2="5", q4=["Vernieling", "Wapenbezit bij bezoekers"])
    data["respondent"] = "Bezoeker 7"
    assert client.post(url, data).status_code == 302
    paper.refresh_from_db()
    assert paper.respondent == "Bezoeker 7"
    assert sorted(paper.answers.values_list("value", flat=True)) == [
        "5",
        "Vernieling",
        "Wapenbezit bij bezoekers",
    ]
    assert paper.answers.filter(pk=kept.pk).exists()


def test_deleting_a_paper_response_asks_first(client_for, leader, survey):
    paper = _paper(survey, leader, q2=["2"])
    client = client_for(leader)
    url = reverse("response_delete", args=[survey.analysis.project_id, survey.pk, paper.pk])
    assert client.get(url).status_code == 200
    assert Response.objects.filter(pk=paper.pk).exists()
    assert client.post(url).status_code == 302
    assert not Response.objects.filter(pk=paper.pk).exists()
    assert not Answer.objects.filter(response_id=paper.pk).exists()


def test_an_online_response_cannot_be_edited_or_deleted_by_the_leader(
    client_for, leader, survey, project
):
    (online,) = services.invite_partners(
        survey=survey, participations=[_partner(project)], user=leader
    )
    client = client_for(leader)
    for name in ("response_edit", "response_delete"):
        url = reverse(name, args=[project.pk, survey.pk, online.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert Response.objects.filter(pk=online.pk).exists()


# --- results and response rate ---------------------------------------------------------------


def test_results_count_and_percentages_per_option_and_the_scale_average(survey, leader):
    _paper(survey, leader, q1=["Café of bar"], q2=["4"], q4=["Vernieling", "Diefstal of inbraak"])
    _paper(survey, leader, q1=["Café of bar"], q2=["5"], q4=["Vernieling"])
    _paper(survey, leader, q1=["Club of discotheek"], q2=["2"])
    _paper(survey, leader, q2=["4"], q13=["Meer licht"])
    questions = list(survey.questions.all())
    by_position = {r.question.position: r for r in selectors.results(survey, questions)}

    kind = by_position[1]
    assert kind.respondents == 3
    counts = {o.label: (o.count, o.percentage) for o in kind.options}
    assert counts["Café of bar"] == (2, 66.7)
    assert counts["Club of discotheek"] == (1, 33.3)
    assert counts["Anders"] == (0, 0.0)

    scale = by_position[2]
    assert [o.label for o in scale.options] == ["1", "2", "3", "4", "5"]
    assert [o.count for o in scale.options] == [0, 1, 0, 2, 1]
    assert scale.average == 3.8  # (2 + 4 + 4 + 5) / 4 = 3.75

    several = by_position[4]
    assert several.respondents == 2
    counts = {o.label: (o.count, o.percentage) for o in several.options}
    assert counts["Vernieling"] == (2, 100.0)
    assert counts["Diefstal of inbraak"] == (1, 50.0)

    open_result = by_position[13]
    assert open_result.respondents == 1
    assert [a["value"] for a in open_result.open_answers] == ["Meer licht"]


def test_results_show_the_newest_20_open_answers_with_a_link_to_all(client_for, leader, survey):
    for number in range(25):
        _paper(survey, leader, q2=["3"], q13=[f"Idee {number}"])
    question = survey.questions.get(position=13)
    client = client_for(leader)
    page = client.get(reverse("survey_results", args=[survey.analysis.project_id, survey.pk]))
    result = next(r for r in page.context["results"] if r.question == question)
    assert [a["value"] for a in result.open_answers] == [f"Idee {n}" for n in range(24, 4, -1)]
    all_url = reverse(
        "survey_open_answers", args=[survey.analysis.project_id, survey.pk, question.pk]
    )
    assert all_url in page.content.decode()
    listing = client.get(all_url)
    assert listing.context["page"].paginator.count == 25
    assert "Idee 0" in listing.content.decode()


def test_response_rate_per_kind_of_partner_and_paper_apart(survey, project, leader):
    cafes = [_partner(project, f"Café {n}") for n in range(3)]
    association = _partner(
        project, "Horecavereniging", kind=OrganisationKind.HOSPITALITY_ASSOCIATION
    )
    responses = services.invite_partners(
        survey=survey, participations=[*cafes, association], user=leader
    )
    for response in responses[:2]:  # two cafés answer
        response.refresh_from_db()
        token = services.links.issue_token(response)
        services.answer_online(token=token, answers={})
    _paper(survey, leader, q2=["3"])

    rate = selectors.response_rate(survey)
    rows = {row.label: (row.invited, row.answered, row.percentage) for row in rate.rows}
    labels = dict(OrganisationKind.choices)
    assert rows[str(labels["hospitality"])] == (3, 2, 66.7)
    assert rows[str(labels["association"])] == (1, 0, 0.0)
    assert (rate.overall.invited, rate.overall.answered, rate.overall.percentage) == (4, 2, 50.0)
    assert rate.paper == 1
    assert rate.total == 3


def test_results_page_shows_the_response_rate_and_an_accessible_chart(
    client_for, viewer, leader, survey
):
    _paper(survey, leader, q1=["Café of bar"], q2=["4"])
    page = client_for(viewer).get(
        reverse("survey_results", args=[survey.analysis.project_id, survey.pk])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="response-rate"' in html
    assert 'id="rate-paper"' in html
    assert '<svg width="100%" height="16" aria-hidden="true"' in html
    assert 'width="100.0%"' in html  # the one answer to question 1: 100 %
    assert "<caption" in html
    assert 'scope="row"' in html
    assert "style=" not in html  # the CSP allows no inline styles


# --- access ----------------------------------------------------------------------------------


def _urls(survey, question, paper):
    p, s = survey.analysis.project_id, survey.pk
    return {
        "survey_list": (reverse("survey_list", args=[p]), False),
        "survey_detail": (reverse("survey_detail", args=[p, s]), False),
        "survey_results": (reverse("survey_results", args=[p, s]), False),
        "survey_open_answers": (reverse("survey_open_answers", args=[p, s, question.pk]), False),
        "survey_create": (reverse("survey_create", args=[p]), True),
        "survey_edit": (reverse("survey_edit", args=[p, s]), True),
        "survey_send": (reverse("survey_send", args=[p, s]), True),
        "question_add": (reverse("question_add", args=[p, s]), True),
        "question_edit": (reverse("question_edit", args=[p, s, question.pk]), True),
        "question_delete": (reverse("question_delete", args=[p, s, question.pk]), True),
        "response_add": (reverse("response_add", args=[p, s]), True),
        "response_edit": (reverse("response_edit", args=[p, paper.survey_id, paper.pk]), True),
        "response_delete": (reverse("response_delete", args=[p, paper.survey_id, paper.pk]), True),
    }


@pytest.fixture
def access_objects(analysis, leader, survey):
    other = services.create_survey(analysis=analysis, kind="visitors", user=leader)
    paper = _paper(other, leader, q4=["3"])
    return survey, survey.questions.first(), paper


@pytest.mark.parametrize("role", ["leader", "editor", "viewer", "outsider"])
def test_access_by_role(client_for, request, access_objects, role):
    client = client_for(request.getfixturevalue(role))
    for name, (url, writes) in _urls(*access_objects).items():
        status = client.get(url).status_code
        if role == "outsider":
            assert status == 404, name
        elif role == "viewer" and writes:
            assert status == 403, name
        else:
            assert status == 200, name


def test_viewer_gets_403_on_every_post_and_nothing_changes(client_for, viewer, access_objects):
    survey, question, _response = access_objects
    client = client_for(viewer)
    before = (Question.objects.count(), Response.objects.count(), Answer.objects.count())
    for name, (url, writes) in _urls(*access_objects).items():
        if writes:
            assert client.post(url, {"text": "x", "kind": "open"}).status_code == 403, name
    move = reverse("question_move", args=[survey.analysis.project_id, survey.pk, question.pk])
    assert client.post(move, {"direction": "down"}).status_code == 403
    assert (Question.objects.count(), Response.objects.count(), Answer.objects.count()) == before


def test_a_question_of_another_survey_of_the_same_project_is_not_found(
    client_for, leader, access_objects
):
    survey, _question, paper = access_objects
    other_question = paper.survey.questions.first()
    client = client_for(leader)
    p = survey.analysis.project_id
    assert (
        client.get(reverse("question_edit", args=[p, survey.pk, other_question.pk])).status_code
        == 404
    )
    assert client.get(reverse("response_edit", args=[p, survey.pk, paper.pk])).status_code == 404


def test_before_the_analysis_started_the_surveys_are_not_found(client_for, leader, project):
    assert client_for(leader).get(reverse("survey_list", args=[project.pk])).status_code == 404


# --- change log ------------------------------------------------------------------------------


def _logged(model, pk, action):
    return LogEntry.objects.filter(
        content_type__model=model._meta.model_name, object_pk=str(pk), action=action
    ).exists()


def test_every_change_leaves_an_entry_in_the_change_log(analysis, leader, project):
    create, update, delete = LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE
    survey = services.create_survey(analysis=analysis, kind="residents", user=leader)
    assert _logged(Survey, survey.pk, create)
    assert _logged(Question, survey.questions.first().pk, create)
    services.update_survey(survey=survey, title="Bewoners", introduction="", closes_on=None)
    assert _logged(Survey, survey.pk, update)
    added = services.add_question(survey=survey, text="Nieuw", kind="open")
    assert _logged(Question, added.pk, create)
    services.update_question(question=added, text="Anders", kind="open")
    assert _logged(Question, added.pk, update)
    services.move_question(question=added, up=True)
    assert _logged(Question, added.pk, update)
    added_pk = added.pk
    services.delete_question(question=added)
    assert _logged(Question, added_pk, delete)

    (online,) = services.invite_partners(
        survey=survey, participations=[_partner(project)], user=leader
    )
    assert _logged(Response, online.pk, create)
    online.refresh_from_db()
    token = services.links.issue_token(online)
    services.answer_online(token=token, answers={survey.questions.get(position=2): ["4"]})
    assert _logged(Response, online.pk, update)
    assert _logged(Answer, online.answers.get().pk, create)

    paper = _paper(survey, leader, q2=["3"])
    assert _logged(Response, paper.pk, create)
    first = paper.answers.get()
    services.update_paper_response(
        response=paper, respondent="Bewoner 2", answers={first.question: ["5"]}
    )
    assert _logged(Response, paper.pk, update)
    assert _logged(Answer, first.pk, delete)
    paper_pk = paper.pk
    services.delete_response(response=paper)
    assert _logged(Response, paper_pk, delete)


def test_the_token_hash_is_left_out_of_the_change_log(analysis, leader, project, survey):
    (online,) = services.invite_partners(
        survey=survey, participations=[_partner(project)], user=leader
    )
    online.refresh_from_db()
    for entry in LogEntry.objects.filter(content_type__model="response"):
        assert online.token_hash not in str(entry.changes)


# --- query counts ----------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _fill(survey, project, leader, n):
    """n partners invited (half answer online), n paper responses, answers to every question."""
    partners = [
        _partner(project, f"Zaak {survey.pk}-{i}-{timezone.now().timestamp()}") for i in range(n)
    ]
    for number, response in enumerate(
        services.invite_partners(survey=survey, participations=partners, user=leader)
    ):
        if number % 2:
            continue
        response.refresh_from_db()
        token = services.links.issue_token(response)
        services.answer_online(token=token, answers=_every_answer(survey, number))
    for number in range(n):
        services.add_paper_response(
            survey=survey,
            respondent=f"R{number}",
            answers=_every_answer(survey, number),
            user=leader,
        )


def _every_answer(survey, number):
    answers = {}
    for question in survey.questions.all():
        if question.kind == "scale":
            answers[question] = [str(number % 5 + 1)]
        elif question.kind == "open":
            answers[question] = [f"Antwoord {number}"]
        elif question.kind == "multiple":
            answers[question] = question.option_list[:2]
        else:
            answers[question] = [question.option_list[number % len(question.option_list)]]
    return answers


def test_survey_pages_keep_their_query_count_with_ten_times_the_data(
    client_for, leader, analysis, project
):
    """Prevents an N+1 over questions, responses, answers or surveys on every survey page."""
    survey = services.create_survey(analysis=analysis, kind="visitors", user=leader)
    client = client_for(leader)
    _partner(project, "Nog niet uitgenodigd")  # the send page lists a partner throughout
    _fill(survey, project, leader, 2)
    question = survey.questions.filter(kind="open").first()
    paper = survey.responses.filter(channel="paper").first()
    p, s = project.pk, survey.pk
    urls = [
        reverse("survey_list", args=[p]),
        reverse("survey_detail", args=[p, s]),
        reverse("survey_results", args=[p, s]),
        reverse("survey_open_answers", args=[p, s, question.pk]),
        reverse("survey_send", args=[p, s]),
        reverse("response_add", args=[p, s]),
        reverse("response_edit", args=[p, s, paper.pk]),
    ]
    before = {url: _count(client, url) for url in urls}

    # Ten times the questions (in a second survey: this one's list is fixed), the responses and
    # the answers, and more surveys in the list.
    more = services.create_survey(analysis=analysis, kind="entrepreneurs", user=leader)
    for number in range(10 * len(TEMPLATES["entrepreneurs"])):
        services.add_question(survey=more, text=f"Extra {number}", kind="scale")
    _fill(more, project, leader, 3)
    _fill(survey, project, leader, 18)
    services.create_survey(analysis=analysis, kind="residents", user=leader)
    after = {url: _count(client, url) for url in urls}
    assert after == before

    # The survey with ten times the questions costs the same as the small one.
    q, r = (
        more.questions.filter(kind="open").first(),
        more.responses.filter(channel="paper").first(),
    )
    wide = [
        reverse("survey_detail", args=[p, more.pk]),
        reverse("survey_results", args=[p, more.pk]),
        reverse("survey_open_answers", args=[p, more.pk, q.pk]),
        reverse("response_add", args=[p, more.pk]),
        reverse("response_edit", args=[p, more.pk, r.pk]),
    ]
    small = [urls[1], urls[2], urls[3], urls[5], urls[6]]
    assert [_count(client, url) for url in wide] == [before[url] for url in small]


# --- demo ------------------------------------------------------------------------------------


def test_the_demo_has_two_surveys_with_answers_and_loads_once(db, settings):
    from django.core.management import call_command

    from analysis.demo import surveys as demo_surveys
    from analysis.models import Analysis
    from kvu.models import Project

    settings.DEBUG = True
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    analysis = Analysis.objects.current(project)
    entrepreneurs = Survey.objects.get(analysis=analysis, kind="entrepreneurs")
    visitors = Survey.objects.get(analysis=analysis, kind="visitors")

    rate = selectors.response_rate(entrepreneurs)
    assert rate.overall.invited >= 4
    assert 0 < rate.overall.answered < rate.overall.invited  # most, not all, answered online
    assert rate.paper == 3
    assert selectors.response_rate(visitors).paper == 40
    results = selectors.results(visitors, list(visitors.questions.all()))
    feeling = next(r for r in results if r.question.required)
    assert feeling.respondents == 40
    assert 3 <= feeling.average <= 4
    assert len({o.count for o in feeling.options}) > 2  # a spread, not one answer

    leader = project.project_leader
    assert demo_surveys.load(analysis, leader) == 0
    assert Survey.objects.filter(analysis=analysis).count() == 2
