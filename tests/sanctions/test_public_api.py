"""Public 红黑名单 API and pages (DOMAIN §6, §10, §11): current entries only, natural persons masked."""

from __future__ import annotations

import datetime

import pytest

from sanctions.choices import EntryStatus
from tests.registry.factories import NaturalPersonFactory, SubjectFactory

from .factories import ListEntryFactory, list_type

pytestmark = pytest.mark.django_db

URL = "/api/v1/public/list-entries/"


def test_only_published_current_entries_are_listed(api_client):
    current = ListEntryFactory()
    ListEntryFactory(status=EntryStatus.DECIDED, published_at=None)
    ListEntryFactory(status=EntryStatus.REMOVED)
    ListEntryFactory(valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2022, 1, 1))
    body = api_client.get(URL).json()
    assert [row["id"] for row in body["results"]] == [current.pk]


def test_natural_persons_are_masked_and_no_id_number_appears(api_client):
    person = NaturalPersonFactory(name="张三明")
    entry = ListEntryFactory(subject=person, list_type=list_type("sxbzxr"))
    response = api_client.get(URL)
    text = response.content.decode()
    assert response.json()["results"][0]["subject_name"] == "张*明"
    assert "张三明" not in text
    assert person.reveal_id_number() not in text
    assert person.id_number_masked not in text
    detail = api_client.get(f"{URL}{entry.pk}/")
    assert detail.json()["subject_name"] == "张*明"
    assert detail.json()["uscc"] is None
    assert "张三明" not in detail.content.decode()


def test_unpublished_entry_detail_is_404(api_client):
    entry = ListEntryFactory(status=EntryStatus.PROPOSED, published_at=None)
    assert api_client.get(f"{URL}{entry.pk}/").status_code == 404


def test_search_by_exact_code_name_type_and_color(api_client):
    subject = SubjectFactory(name="天津西青诚信贸易有限公司")
    black = ListEntryFactory(subject=subject)
    red = ListEntryFactory(list_type=list_type("tax_a"))

    def ids(**params):
        return [row["id"] for row in api_client.get(URL, params).json()["results"]]

    assert ids(q=subject.uscc.lower()) == [black.pk]
    assert ids(q="诚信贸易") == [black.pk]
    assert ids(color="red") == [red.pk]
    assert ids(color="红名单") == [red.pk]
    assert ids(type="samr_serious") == [black.pk]
    assert ids(type="纳税信用A级纳税人") == [red.pk]


def test_detail_shows_the_list_types_basis(api_client):
    entry = ListEntryFactory()
    body = api_client.get(f"{URL}{entry.pk}/").json()
    assert "总局令第44号" in body["legal_basis"]
    assert body["valid_to"] == "2029-03-02"


def test_public_list_query_count_does_not_grow_with_rows(api_client, django_assert_max_num_queries):
    ListEntryFactory.create_batch(30)
    with django_assert_max_num_queries(2):
        response = api_client.get(URL)
    assert response.json()["count"] == 30


def test_public_pages_show_current_entries_masked(client):
    person = NaturalPersonFactory(name="李四光")
    ListEntryFactory(subject=person, list_type=list_type("sxbzxr"))
    hidden = ListEntryFactory(
        status=EntryStatus.PROPOSED, published_at=None, subject=SubjectFactory(name="未公开公司")
    )
    page = client.get("/lists/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "李*光" in text and "李四光" not in text
    assert "未公开公司" not in text
    assert client.get(f"/lists/{hidden.pk}/").status_code == 404


def test_public_list_page_query_count_is_flat(client, django_assert_max_num_queries):
    ListEntryFactory.create_batch(25)
    with django_assert_max_num_queries(6):
        assert client.get("/lists/").status_code == 200


def test_the_reason_shown_to_the_public_masks_the_persons_name_and_id_numbers(api_client):
    person = NaturalPersonFactory(name="赵六明")
    number = person.reveal_id_number()
    entry = ListEntryFactory(
        subject=person, list_type=list_type("sxbzxr"), reason=f"赵六明（{number}）有履行能力而拒不履行。"
    )
    body = api_client.get(f"{URL}{entry.pk}/").json()
    assert body["reason"] == "赵*明（******************）有履行能力而拒不履行。"
    page = api_client.get(f"/lists/{entry.pk}/").content.decode()
    assert "赵六明" not in page and number not in page
