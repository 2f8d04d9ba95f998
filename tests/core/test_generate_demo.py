"""generate_demo: departments, role accounts and subjects through registry.demo, then each app's demo step."""

from io import StringIO

import pytest

from django.core.management import call_command
from django.core.management.base import CommandError

from credit_portal import access
from registry.choices import SubjectCategory
from registry.models import Department, Subject, User

pytestmark = pytest.mark.django_db

pytest.importorskip("registry.demo")


def _run(*args: str) -> str:
    out = StringIO()
    call_command("generate_demo", *args, stdout=out)
    return out.getvalue()


def test_generate_demo_creates_departments_role_accounts_and_subjects_of_every_category():
    output = _run("--subjects", "40", "--seed", "7")
    assert Department.objects.filter(name="区市场监管局").exists()
    assert Subject.objects.count() >= 40
    categories = set(Subject.objects.values_list("category", flat=True))
    assert categories == {choice.value for choice in SubjectCategory}
    roles = {access.role_of(user) for user in User.objects.all()}
    assert {access.Role.CLERK, access.Role.REVIEWER, access.Role.ADMIN} <= roles
    assert User.objects.get(username="admin").check_password("Demo-2026-pass")
    assert "registry: done in" in output


def test_clerk_demo_accounts_belong_to_a_department():
    _run("--subjects", "10")
    clerks = [user for user in User.objects.all() if access.is_clerk(user)]
    assert clerks and all(user.department_id for user in clerks)


def test_if_empty_leaves_existing_data_alone():
    _run("--subjects", "20")
    subjects, users = Subject.objects.count(), User.objects.count()
    output = _run("--subjects", "20", "--if-empty")
    assert "--if-empty" in output
    assert (Subject.objects.count(), User.objects.count()) == (subjects, users)


def test_demo_subjects_have_valid_codes():
    from registry import codes

    _run("--subjects", "30")
    for uscc in Subject.objects.exclude(uscc=None).values_list("uscc", flat=True):
        assert codes.validate_uscc(uscc).valid, uscc


def test_demo_natural_persons_never_keep_a_clear_id_number():
    _run("--subjects", "60")
    person = Subject.objects.filter(category=SubjectCategory.NATURAL_PERSON).first()
    assert person is not None
    assert person.id_number_hash and "*" in person.id_number_masked
    assert person.reveal_id_number() not in person.id_number_encrypted


def test_subjects_must_be_positive():
    with pytest.raises(CommandError):
        _run("--subjects", "0")
