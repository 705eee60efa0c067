"""factory_boy factories for the models of all apps."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from kvu.models import Membership, Municipality, Project, Province
from partners.models import (
    Agreement,
    Channel,
    ContactMoment,
    Organisation,
    OrganisationKind,
    Participation,
    Person,
    default_role_for,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = "Sanne"
    last_name = factory.Sequence(lambda n: f"Bakker{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    cbs_code = factory.Sequence(lambda n: f"GM{n % 10000:04d}")
    province = Province.UTRECHT


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = Membership.Role.LEADER


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"KVU project {n}")
    nightlife_area = "Binnenstad"
    description = "Samen het uitgaansgebied veilig houden."


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Café De Zwaan {n}")
    kind = OrganisationKind.HOSPITALITY


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Jan de Boer {n}")
    function = "eigenaar"
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, municipality=factory.SelfAttribute("..project.municipality")
    )
    role = factory.LazyAttribute(lambda p: default_role_for(p.organisation.kind))


class ContactMomentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactMoment

    participation = factory.SubFactory(ParticipationFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    channel = Channel.PHONE
    summary = "Kennismaking en uitleg over de KVU."


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    project = factory.SubFactory(ProjectFactory)
    date = factory.LazyFunction(timezone.localdate)
    text = "De gemeente meldt controles vooraf aan bij de horecavereniging."


# --- meetings ---


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Meeting"

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Werkgroep KVU {n}")
    kind = "working_group"
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    start_time = datetime.time(19, 30)
    end_time = datetime.time(21, 0)
    location = "Stadhuis, zaal 2"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.AgendaItem"

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Agendapunt {n}")
    duration_minutes = 15


class AttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Attendee"

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(
        PersonFactory,
        organisation__municipality=factory.SelfAttribute("...meeting.project.municipality"),
    )


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.ActionItem"

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"Cijfers opvragen {n}")
    owner_user = factory.SubFactory(UserFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


# --- declaration of intent (intentieverklaring) ---


class DeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.Declaration"

    project = factory.SubFactory(ProjectFactory)
    version = 1
    language = "nl"
    title = "Intentieverklaring KVU Binnenstad"
    parties = "- Gemeente\n- Politie\n- Café De Zwaan"
    goal = "Samen zorgen voor een veilig uitgaansgebied."
    vision = "Veilig uitgaan is een gedeelde verantwoordelijkheid."
    contributions = "- Iedere partij neemt deel aan de werkgroep."
    duration = "Twee jaar."
    closing = "Online ondertekend."


# --- concerns (a partner's working list) ---


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.Concern"

    participation = factory.SubFactory(ParticipationFactory)
    kind = "extra_costs"
    partner_text = "Bang dat de KVU extra kosten voor portiers betekent."
    status = "open"


# --- inbox of the contact log (issue 18) ---


class LoggingAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.LoggingAddress"

    project = factory.SubFactory(ProjectFactory)


class InboundMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.InboundMessage"

    project = factory.SubFactory(ProjectFactory)
    message_id = factory.Sequence(lambda n: f"<bericht-{n}@gemeente.example.nl>")
    sender = "collega@gemeente.example.nl"
    subject = factory.Sequence(lambda n: f"Overleg sluitingstijden {n}")
    body = "Beste allen, hierbij de afspraken van vanochtend."
    sent_at = factory.LazyFunction(timezone.now)
    size = 1200
    reason = "no_person"


# --- Safety analysis (issue 20) ---


class AnalysisFactory(factory.django.DjangoModelFactory):
    """An analysis without its profile and sources; `analysis.services.start_analysis` lays
    those out as the leader's start does (the `analysis` fixture uses it)."""

    class Meta:
        model = "analysis.Analysis"

    project = factory.SubFactory(ProjectFactory)
    cycle = 1


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "analysis.Street"

    analysis = factory.SubFactory(AnalysisFactory)
    name = factory.Sequence(lambda n: f"Oude Markt {n}")


class KeyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "analysis.KeyFigure"

    analysis = factory.SubFactory(AnalysisFactory)
    kind = "incidents"
    year = factory.Sequence(lambda n: 2000 + n % 100)
    value = 120
    source = "Politie, BVH-bevraging"


class WalkThroughFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "analysis.WalkThrough"

    analysis = factory.SubFactory(AnalysisFactory)
    timing = "night"
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "analysis.Finding"

    walk_through = factory.SubFactory(WalkThroughFactory)
    category = "visibility"
    severity = "orange"
    description = "Lantaarnpaal defect, donkere hoek bij de steeg."


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "analysis.Survey"

    analysis = factory.SubFactory(AnalysisFactory)
    kind = "entrepreneurs"
    title = "Enquête ondernemers"


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "analysis.Question"

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n)
    text = "Hoe veilig voelt u zich in het uitgaansgebied?"
    kind = "scale"


class ResponseFactory(factory.django.DjangoModelFactory):
    """A response typed in from paper (an online one needs a partner and a token)."""

    class Meta:
        model = "analysis.Response"

    survey = factory.SubFactory(SurveyFactory)
    channel = "paper"
    respondent = factory.Sequence(lambda n: f"Respondent {n}")
    submitted_at = factory.LazyFunction(timezone.now)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "analysis.Answer"

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(
        QuestionFactory, survey=factory.SelfAttribute("..response.survey")
    )
    value = "4"


class ConclusionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "analysis.Conclusion"

    analysis = factory.SubFactory(AnalysisFactory)
    kind = "conclusion"
    text = "De verlichting in de stegen rond de Oude Markt schiet tekort."


class KnelpuntFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "analysis.Knelpunt"

    analysis = factory.SubFactory(AnalysisFactory)
    theme = "safety"
    title = "Donkere stegen rond de Oude Markt"
