"""No natural person's ID number or full name leaves through a public page or public API answer (DOMAIN §10).

A demo dataset is walked anonymously: every URL that the permission matrix marks as open to anonymous visitors, plus
the public profile of every natural person with published records. ID numbers are looked for by pattern (GB 11643,
checked with python-stdnum so that other 18-digit numbers are not counted) and by the dataset's own numbers.
"""

from __future__ import annotations

import itertools
import logging
import re

import pytest
from stdnum.cn import ric

from django.test import Client

from credit_portal import masking
from registry.choices import SubjectCategory
from registry.models import Subject

from .test_permission_matrix import concrete_path, expected_for, path_values
from .urlwalk import walk

pytestmark = pytest.mark.django_db

# 18 characters, the last a digit or X, not part of a longer token.
RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def resident_ids_in(text: str) -> set[str]:
    """Valid GB 11643 citizen identity numbers found in the text."""
    return {match for match in RESIDENT_ID.findall(text) if ric.is_valid(match)}


def natural_persons() -> list[tuple[Subject, str]]:
    people = Subject.objects.filter(category=SubjectCategory.NATURAL_PERSON).order_by("pk")
    return [(person, person.reveal_id_number()) for person in people]


def public_paths(dataset) -> list[str]:
    """Every URL anonymous visitors may open (per the access table), filled from the dataset."""
    paths = []
    for route in walk():
        if (expected_for(route.name) or ("",))[0] == "ok":
            paths.append(concrete_path(route, path_values(route, dataset)))
    return paths


def test_pattern_finder_finds_valid_numbers_only():
    assert resident_ids_in("证件号码 11010519491231002X，订单号 123456789012345678") == {"11010519491231002X"}


def test_no_public_page_or_api_answer_shows_an_id_number_or_a_full_name(security_dataset):
    people = natural_persons()
    assert people, "the demo dataset must contain natural persons"
    numbers = {number for _person, number in people if number}
    names = {person.name for person, _number in people if len(person.name) >= 2}
    paths = public_paths(security_dataset)
    paths += [f"/subjects/{person.pk}/" for person, _number in people[:20]]
    paths += [f"/api/v1/public/penalties/?q={person.name[0]}" for person, _number in people[:5]]
    addresses = (f"10.8.{a}.{b}" for a, b in itertools.product(range(256), range(1, 255)))
    leaks, masked_seen = [], 0
    masked = {masking.mask_name(name) for name in names}
    for path in paths:
        response = Client().get(path, REMOTE_ADDR=next(addresses))
        if response.status_code != 200 or response.streaming:
            continue
        content_type = response.headers.get("Content-Type", "")
        if not any(kind in content_type for kind in ("html", "json", "csv", "text")):
            continue
        text = response.content.decode("utf-8", errors="replace")
        found = resident_ids_in(text) | {number for number in numbers if number in text}
        if found:
            leaks.append(f"{path}: ID numbers {sorted(found)[:3]}")
        masked_seen += sum(1 for name in masked if name in text)
        shown = sorted(name for name in names if name in text)
        if shown:
            leaks.append(f"{path}: unmasked names {shown[:5]}")
    assert len(paths) > 40
    assert masked_seen, "no public answer showed a natural person at all: the scan would prove nothing"
    assert not leaks, "\n".join(leaks)


def test_id_numbers_never_reach_the_logs(security_dataset, caplog, client, api_client):
    person, number = next((person, number) for person, number in natural_persons() if number)
    caplog.set_level(logging.DEBUG)
    # Failing requests that carry the number: a public search, a refused staff lookup, a bad repair application.
    client.get(f"/api/v1/public/penalties/?q={number}&page=999", REMOTE_ADDR="10.7.0.1")
    client.get(f"/staff/subjects/?q={number}")
    api_client.get(f"/api/v1/registry/subjects/?id_number={number}")
    client.post("/api/v1/public/repair-applications/", {"id_number": number, "subject_name": person.name})
    client.post("/api/v1/registry/validate-code", {"code": number + "1"}, content_type="application/json")
    assert caplog.records, "the failing requests must have been logged"
    assert number not in caplog.text
    assert not resident_ids_in(caplog.text)
