"""Factories of the registry: departments, users with roles, subjects with valid codes."""

from __future__ import annotations

import random

import factory

from django.contrib.auth.models import Group

from credit_portal.access import GROUP_NAMES
from registry import codes
from registry.choices import IdType, SubjectCategory
from registry.models import Department, Subject, User


def make_uscc(authority: str = "9", entity_type: str = "1", region: str = "120111", seed: int | None = None) -> str:
    """A structurally valid unified social credit code with the right check character."""
    rng = random.Random(seed)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "".join(rng.choice(alphabet) for _ in range(9))
    first_17 = f"{authority}{entity_type}{region}{body}"
    return first_17 + codes.check_digit(first_17)


def make_resident_id(seed: int | None = None, region: str = "120111", birth: str = "19800101") -> str:
    from stdnum.cn import ric

    rng = random.Random(seed)
    first_17 = f"{region}{birth}{rng.randint(0, 999):03d}"
    return first_17 + ric.calc_check_digit(first_17 + "0")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"区测试局{n}")
    uscc = factory.Sequence(lambda n: make_uscc("1", "1", seed=10_000 + n))
    region_code = "120111"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("Correct-Horse-42")

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        """UserFactory(role="clerk") puts the user in the role's group."""
        if extracted and create:
            group, _created = Group.objects.get_or_create(name=GROUP_NAMES[extracted])
            obj.groups.add(group)


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    category = SubjectCategory.LEGAL_ENTITY
    name = factory.Sequence(lambda n: f"天津测试科技有限公司{n}")
    uscc = factory.Sequence(lambda n: make_uscc("9", "1", seed=n))
    legal_representative = "王建国"
    region_code = "120111"


class NaturalPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject
        skip_postgeneration_save = True  # the id_number hook saves

    category = SubjectCategory.NATURAL_PERSON
    name = factory.Sequence(lambda n: f"张{'三四五六七'[n % 5]}明")
    uscc = None
    id_type = IdType.RESIDENT_ID

    @factory.post_generation
    def id_number(obj, create, extracted, **kwargs):
        obj.set_id_number(extracted or make_resident_id(seed=obj.pk or random.randint(0, 10**6)))
        if create:
            obj.save()
