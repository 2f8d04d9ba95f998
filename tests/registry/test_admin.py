"""The admin: clerks with admin access are scoped to their department; ID numbers never shown in clear."""

from __future__ import annotations

import pytest

from registry import services
from registry.models import Subject
from tests.registry.factories import make_resident_id, make_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_clerk(clerk):
    clerk.is_staff = True  # a clerk given admin access: still only their department
    clerk.save(update_fields=["is_staff"])
    return clerk


def _subject(user, name, seed):
    return services.resolve_subject(
        by=user, category="legal_entity", name=name, uscc=make_uscc(seed=seed), legal_representative="甲"
    )


def test_a_clerk_sees_only_their_departments_subjects_in_the_changelist(client, staff_clerk, clerk_b):
    _subject(staff_clerk, "甲方公司", 1)
    _subject(clerk_b, "乙方公司", 2)
    client.force_login(staff_clerk)
    response = client.get("/admin/registry/subject/")
    assert response.status_code == 200
    assert "甲方公司" in response.content.decode() and "乙方公司" not in response.content.decode()


def test_a_clerk_gets_404_on_another_departments_subject_in_the_admin(client, staff_clerk, clerk_b):
    other = _subject(clerk_b, "乙方公司", 3)
    client.force_login(staff_clerk)
    assert client.get(f"/admin/registry/subject/{other.pk}/change/").status_code == 404
    assert client.get(f"/admin/registry/subject/{other.pk}/history/").status_code == 404
    response = client.post(
        f"/admin/registry/subject/{other.pk}/change/",
        {"category": "legal_entity", "name": "改名", "uscc": other.uscc, "legal_representative": "甲"},
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name == "乙方公司"


def test_a_clerk_opens_their_own_subject_in_the_admin(client, staff_clerk):
    mine = _subject(staff_clerk, "甲方公司", 4)
    client.force_login(staff_clerk)
    assert client.get(f"/admin/registry/subject/{mine.pk}/change/").status_code == 200
    assert client.get(f"/admin/registry/subject/{mine.pk}/history/").status_code == 200


def test_a_clerk_without_admin_access_is_sent_to_the_login(client, clerk):
    client.force_login(clerk)
    response = client.get("/admin/registry/subject/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_admin_shows_the_masked_id_never_the_clear_number_or_ciphertext(client, administrator, clerk):
    person = services.resolve_subject(
        by=clerk, category="natural_person", name="张三明", id_type="01", id_number=make_resident_id(seed=5)
    )
    client.force_login(administrator)
    page = client.get(f"/admin/registry/subject/{person.pk}/change/").content.decode()
    assert person.id_number_masked in page
    assert person.reveal_id_number() not in page
    assert person.id_number_encrypted not in page and person.id_number_hash not in page


def test_an_administrator_adds_a_natural_person_with_a_checked_id_number(client, administrator):
    client.force_login(administrator)
    number = make_resident_id(seed=6)
    wrong = number[:17] + ("1" if number[17] != "1" else "2")
    data = {"category": "natural_person", "name": "李四", "id_type": "01", "id_number": wrong}
    response = client.post("/admin/registry/subject/add/", data)
    assert response.status_code == 200 and "第18位校验码应为" in response.content.decode()
    response = client.post("/admin/registry/subject/add/", {**data, "id_number": number})
    assert response.status_code == 302
    person = Subject.objects.get(name="李四")
    assert person.reveal_id_number() == number


def test_the_department_admin_refuses_a_code_with_a_wrong_check_character(client, administrator):
    client.force_login(administrator)
    code = make_uscc("1", "1", seed=7)
    data = {"name": "区新局", "short_name": "新局", "region_code": "120111", "kind": "agency", "is_active": "on"}
    response = client.post(
        "/admin/registry/department/add/", {**data, "uscc": code[:17] + ("0" if code[17] != "0" else "1")}
    )
    assert response.status_code == 200 and "校验码" in response.content.decode()
    assert client.post("/admin/registry/department/add/", {**data, "uscc": code}).status_code == 302


def test_the_user_admin_requires_a_department_for_clerks(client, administrator, clerk):
    from django.contrib.auth.models import Group

    client.force_login(administrator)
    group = Group.objects.get(name="部门填报员")
    response = client.post(
        f"/admin/registry/user/{clerk.pk}/change/",
        {
            "username": clerk.username,
            "groups": [group.pk],
            "department": "",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 200
    assert "部门填报员必须属于一个部门" in response.content.decode()


def test_the_changelist_query_count_does_not_grow_with_rows(
    client, administrator, clerk, django_assert_max_num_queries
):
    client.force_login(administrator)
    for seed in range(3):
        _subject(clerk, f"公司{seed}", 100 + seed)
    client.get("/admin/registry/subject/")
    with django_assert_max_num_queries(12) as few:
        client.get("/admin/registry/subject/")
    for seed in range(30):
        _subject(clerk, f"公司甲{seed}", 200 + seed)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/admin/registry/subject/")
