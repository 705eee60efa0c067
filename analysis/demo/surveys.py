"""Demo data of the analysis' surveys: Enschede's entrepreneurs' survey (personal links, mostly
answered online, a few typed in from paper) and its visitors' survey (40 paper responses).

Built through the surveys' services, like the real thing; idempotent: a kind of survey the
analysis already has is left alone. Answers come from a seeded random generator, so every demo
shows the same, plausible spread.
"""

import random

from analysis.surveys import links, services
from analysis.surveys.models import QuestionKind, Survey, SurveyKind
from partners.models import OrganisationKind, Participation

# Partners that have not answered their link yet (so the response rate is not 100%).
NOT_ANSWERED = {"Danscafé Het Vliegende Paard"}
ENTREPRENEURS_ON_PAPER = [
    "Eetcafé De Beiaard (opgehaald door de wijkagent)",
    "Snackbar De Oude Markt (opgehaald door de wijkagent)",
    "Cocktailbar De Kater (opgehaald door de wijkagent)",
]
VISITORS_ON_PAPER = 40

# Weights of the scale's 1..5, by what the question is about: lighting is the sore point.
SCALE_WEIGHTS = {
    "verlichting": [3, 5, 4, 2, 1],
    "veilig": [1, 2, 5, 7, 3],
    "tevreden": [1, 3, 5, 4, 1],
    "portiers": [1, 2, 4, 6, 3],
    "zichtbaar": [2, 4, 5, 3, 1],
}
OPEN_ANSWERS = [
    "Betere verlichting in de stegen rond de Oude Markt.",
    "Meer toezicht bij de taxistandplaats na sluitingstijd.",
    "Een vast aanspreekpunt bij de gemeente voor de horeca.",
    "Snellere reactie van de politie bij meldingen in het weekend.",
    "Meer prullenbakken en vaker vegen op zondagochtend.",
    "Afspraken over glas op het terras na 01:00 uur.",
    "Camera's bij de Walstraat, daar gaat het vaak mis.",
    "Een gezamenlijk huisreglement voor alle zaken.",
    "Duidelijkere bebording naar het station en de nachtbus.",
    "Portiers beter laten samenwerken tussen de zaken.",
]


def _weighted(rng, options, weights=None):
    return rng.choices(options, weights=weights or [len(options) - i for i in range(len(options))])[
        0
    ]


def _answers(rng, questions) -> dict:
    answers = {}
    for question in questions:
        if question.kind == QuestionKind.SCALE:
            text = question.text.lower()
            weights = next((w for key, w in SCALE_WEIGHTS.items() if key in text), [1, 2, 4, 4, 2])
            answers[question] = [_weighted(rng, ["1", "2", "3", "4", "5"], weights)]
        elif question.kind == QuestionKind.SINGLE:
            answers[question] = [_weighted(rng, question.option_list)]
        elif question.kind == QuestionKind.MULTIPLE:
            options = question.option_list
            # The last option is "none of these": chosen alone, or some of the others.
            if rng.random() < 0.2:
                answers[question] = [options[-1]]
            else:
                answers[question] = rng.sample(options[:-1], k=rng.randint(1, 3))
        elif rng.random() < 0.6:
            answers[question] = [rng.choice(OPEN_ANSWERS)]
        else:
            answers[question] = []
    return answers


def _entrepreneurs(analysis, leader, rng) -> int:
    survey = services.create_survey(analysis=analysis, kind=SurveyKind.ENTREPRENEURS, user=leader)
    partners = (
        Participation.objects.filter(
            project=analysis.project,
            organisation__kind__in=[
                OrganisationKind.HOSPITALITY,
                OrganisationKind.HOSPITALITY_ASSOCIATION,
            ],
        )
        .exclude(main_contact__isnull=True)
        .exclude(main_contact__email="")
        .select_related("organisation", "main_contact")
        .order_by("organisation__name")
    )
    responses = services.invite_partners(survey=survey, participations=partners, user=leader)
    questions = list(survey.questions.all())
    created = 1 + len(responses)
    for response in responses:
        if response.participation.organisation.name in NOT_ANSWERED:
            continue
        # The e-mailed link is the partner's; the demo answers with a link of its own.
        response.refresh_from_db()
        token = links.issue_token(response)
        services.answer_online(token=token, answers=_answers(rng, questions))
    for respondent in ENTREPRENEURS_ON_PAPER:
        services.add_paper_response(
            survey=survey, respondent=respondent, answers=_answers(rng, questions), user=leader
        )
        created += 1
    return created


def _visitors(analysis, leader, rng) -> int:
    survey = services.create_survey(analysis=analysis, kind=SurveyKind.VISITORS, user=leader)
    questions = list(survey.questions.all())
    for number in range(1, VISITORS_ON_PAPER + 1):
        services.add_paper_response(
            survey=survey,
            respondent=f"Bezoeker {number} (Oude Markt, zaterdag 23:30)",
            answers=_answers(rng, questions),
            user=leader,
        )
    return 1 + VISITORS_ON_PAPER


def load(analysis, leader) -> int:
    rng = random.Random(20)
    kinds = set(Survey.objects.filter(analysis=analysis).values_list("kind", flat=True))
    created = 0
    if SurveyKind.ENTREPRENEURS not in kinds:
        created += _entrepreneurs(analysis, leader, rng)
    if SurveyKind.VISITORS not in kinds:
        created += _visitors(analysis, leader, rng)
    return created
