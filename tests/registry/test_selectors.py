"""Registry selectors: public reads select no personal column; staff reads are scoped."""

from __future__ import annotations

import pytest

from registry import selectors, services
from tests.registry.factories import make_resident_id

pytestmark = pytest.mark.django_db


def test_public_subjects_never_select_personal_columns(clerk):
    services.resolve_subject(
        by=clerk, category="natural_person", name="张三明", id_type="01", id_number=make_resident_id(seed=1)
    )
    sql = str(selectors.public_subjects().query)
    for column in ("id_number_encrypted", "id_number_hash", "id_number_masked", "id_type"):
        assert column not in sql
    person = selectors.public_subjects().get()
    assert person.public_name == "张*明"


def test_staff_reads_never_load_the_ciphertext(reviewer, clerk):
    services.resolve_subject(
        by=clerk, category="natural_person", name="张三明", id_type="01", id_number=make_resident_id(seed=2)
    )
    assert "id_number_encrypted" not in str(selectors.subjects_for_staff(reviewer).query)


def test_a_user_without_role_sees_no_subject(clerk, db):
    from tests.registry.factories import UserFactory

    services.resolve_subject(
        by=clerk, category="natural_person", name="李四", id_type="01", id_number=make_resident_id(seed=3)
    )
    assert not selectors.subjects_for_staff(UserFactory(username="nobody")).exists()
