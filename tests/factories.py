"""factory_boy factories for the models of all apps."""

import factory
from django.contrib.auth import get_user_model

from kvu.models import Membership, Municipality, Project, Province


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
