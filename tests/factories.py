"""factory_boy factories for the models of all apps."""

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
