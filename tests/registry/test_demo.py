"""registry.demo: departments with valid codes, the README's accounts, subjects of every category, no bad codes."""

from __future__ import annotations

import io
import random

import pytest

from django.contrib.auth import authenticate

from credit_portal import access
from registry import codes, demo, selectors
from registry.choices import SubjectCategory
from registry.models import Department, Subject, User

pytestmark = pytest.mark.django_db


def test_demo_data_is_valid_and_covers_every_category(db):
    demo.generate(subjects=600, rng=random.Random(7), stdout=io.StringIO())
    assert Department.objects.count() == len(demo.DEPARTMENTS)
    assert all(codes.validate_uscc(code).valid for code in Department.objects.values_list("uscc", flat=True))
    assert Subject.objects.count() == 600
    assert set(Subject.objects.values_list("category", flat=True)) == set(SubjectCategory.values)
    prefixes = {code[:2] for code in Subject.objects.exclude(uscc=None).values_list("uscc", flat=True)}
    assert {"91", "92", "N2", "Y1"} <= prefixes
    assert all(
        codes.validate_uscc(code).valid for code in Subject.objects.exclude(uscc=None).values_list("uscc", flat=True)
    )
    placeholders = Subject.objects.filter(category=SubjectCategory.INDIVIDUAL_BUSINESS, uscc=None)
    assert placeholders.exists() and not placeholders.filter(registration_number="").exists()
    people = Subject.objects.filter(category=SubjectCategory.NATURAL_PERSON)
    assert all(codes.validate_id_number(person.reveal_id_number()).valid for person in people)
    assert all(row.wrong_or_duplicate == 0 for row in selectors.code_quality_by_department())


def test_the_readme_logins_work_with_their_roles(db):
    demo.generate(subjects=10, rng=random.Random(1), stdout=io.StringIO())
    for username, role in (
        ("admin", "admin"),
        ("reviewer", "reviewer"),
        ("clerk_scjg", "clerk"),
        ("clerk_sthj", "clerk"),
    ):
        user = authenticate(username=username, password=demo.DEMO_PASSWORD)
        assert user is not None and access.role_of(user) == role
    assert User.objects.get(username="clerk_sw").department.name == "区税务局"


def test_running_it_again_adds_subjects_without_conflicts(db):
    demo.generate(subjects=100, rng=random.Random(1), stdout=io.StringIO())
    demo.generate(subjects=100, rng=random.Random(2), stdout=io.StringIO())
    assert Subject.objects.count() == 200
    assert Department.objects.count() == len(demo.DEPARTMENTS)
