"""Serializers with prebuilt fields (credit_portal.api.serializers) answer exactly what DRF's own
``Serializer.to_representation`` answers, for every such serializer and records of every public shape."""

from __future__ import annotations

import datetime
import threading

import pytest
from rest_framework import serializers

from credit_portal.api.serializers import PrebuiltFieldsMixin
from disclosure import public_search
from disclosure.api.public_views import (
    PublicLicensingDetailSerializer,
    PublicLicensingSerializer,
    PublicPenaltyDetailSerializer,
    PublicPenaltySerializer,
)
from disclosure.models import Penalty
from sanctions import selectors as sanction_selectors
from sanctions.api.serializers import PublicListEntryDetailSerializer, PublicListEntrySerializer
from tests.disclosure.test_public_api import make_licensing, make_penalty, natural_person_penalty
from tests.registry.factories import NaturalPersonFactory, make_resident_id
from tests.sanctions.factories import ListEntryFactory

pytestmark = pytest.mark.django_db


def _all_subclasses(cls) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


def drf_representation(serializer_class, instance) -> dict:
    """What DRF itself answers: a fresh serializer with its own copied fields."""
    return dict(serializers.Serializer.to_representation(serializer_class(), instance))


def test_every_prebuilt_serializer_is_covered_here():
    from disclosure.api.public_views import PublicRecordSerializer  # the shared base, never used alone

    in_use = {cls for cls in _all_subclasses(PrebuiltFieldsMixin) if not cls.__module__.startswith("tests.")}
    assert in_use - {PublicRecordSerializer} == {
        PublicPenaltySerializer,
        PublicPenaltyDetailSerializer,
        PublicLicensingSerializer,
        PublicLicensingDetailSerializer,
        PublicListEntrySerializer,
        PublicListEntryDetailSerializer,
    }


def test_public_records_of_every_shape_serialize_as_drf_would(department_a):
    make_penalty(department_a, fine_amount=None, penalty_categories=["warning", "fine", "unknown-code"])
    make_penalty(department_a, severity="serious", confiscated_amount="12.5", remarks="身份证 110101199003074514")
    natural_person_penalty(department_a, make_resident_id(seed=7))
    under_objection = make_penalty(department_a)
    Penalty.objects.filter(pk=under_objection.pk).update(is_under_objection=True)
    make_licensing(department_a, licence_category="")
    make_licensing(department_a, valid_to=datetime.date(2030, 1, 1))

    checked = 0
    for detail in (False, True):
        penalties = list(public_search.public_penalties(detail=detail))
        licensings = list(public_search.public_licensings(detail=detail))
        assert len(penalties) == 4 and len(licensings) == 2
        penalty_class = PublicPenaltyDetailSerializer if detail else PublicPenaltySerializer
        licensing_class = PublicLicensingDetailSerializer if detail else PublicLicensingSerializer
        for serializer_class, records in ((penalty_class, penalties), (licensing_class, licensings)):
            listed = serializer_class(records, many=True).data
            for record, fast in zip(records, listed, strict=True):
                assert dict(fast) == drf_representation(serializer_class, record)
                assert list(fast) == list(drf_representation(serializer_class, record))  # same key order
                assert dict(serializer_class(record).data) == dict(fast)
                checked += 1
    assert checked == 12
    masked = [row for row in PublicPenaltySerializer(penalties, many=True).data if row["legal_representative"] == ""]
    assert masked and all("*" in row["subject_name"] for row in masked if row["subject_category"] == "natural_person")


def test_public_list_entries_serialize_as_drf_would():
    ListEntryFactory()
    ListEntryFactory(subject=NaturalPersonFactory(name="李四海", id_number=make_resident_id(seed=9)))
    entries = list(sanction_selectors.public_list_entries())
    assert len(entries) == 2
    for serializer_class in (PublicListEntrySerializer, PublicListEntryDetailSerializer):
        for entry, fast in zip(entries, serializer_class(entries, many=True).data, strict=True):
            assert dict(fast) == drf_representation(serializer_class, entry)
    person = next(row for row in PublicListEntrySerializer(entries, many=True).data if row["uscc"] is None)
    assert person["subject_name"] != "李四海"


def test_prebuilt_fields_are_built_once_per_class_and_shared_by_threads(department_a):
    make_penalty(department_a)
    records = list(public_search.public_penalties())
    first = PublicPenaltySerializer.prebuilt_fields()
    assert PublicPenaltySerializer.prebuilt_fields() is first
    assert PublicPenaltyDetailSerializer.prebuilt_fields() is not first  # a subclass declares more fields
    assert {f.field_name for f in PublicPenaltyDetailSerializer.prebuilt_fields()} > {f.field_name for f in first}
    expected = drf_representation(PublicPenaltySerializer, records[0])
    answers = []

    def serialize():
        for _ in range(200):
            answers.append(dict(PublicPenaltySerializer(records[0]).data))

    threads = [threading.Thread(target=serialize) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 800 and all(answer == expected for answer in answers)
