"""Public pages of repair and objections: forms explain refusals, the record shows "异议处理中" (DOMAIN §8)."""

from __future__ import annotations

import pytest

from repair.choices import ApplicationKind
from repair.selectors import staff_home_blocks

from .factories import TODAY, file, pdf, repairable_penalty

pytestmark = pytest.mark.django_db


def _form(penalty, **overrides) -> dict:
    data = {
        "target_kind": "penalty",
        "document_number": penalty.document_number,
        "subject_name": penalty.subject_name,
        "uscc": penalty.subject.uscc,
        "statement": "已整改",
        "contact_name": "李",
        "contact_phone": "13800138000",
        "materials": pdf(),
    }
    data.update(overrides)
    return data


def test_apply_pages_render_without_an_account(client):
    assert "信用修复申请" in client.get("/repair/apply/").content.decode()
    objection = client.get("/repair/objection/").content.decode()
    assert "异议事由" in objection


def test_repair_form_files_and_shows_the_tracking_number(client):
    page = client.post("/repair/apply/", _form(repairable_penalty()))
    assert page.status_code == 200
    assert 'id="tracking-number">R' in page.content.decode()


def test_refused_repair_explains_the_rule_on_the_form(client):
    penalty = repairable_penalty(is_repairable=False)
    page = client.post("/repair/apply/", _form(penalty)).content.decode()
    assert "不可修复" in page
    assert "tracking-number" not in page


def test_renamed_executable_is_refused_on_the_form(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    executable = SimpleUploadedFile("承诺书.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    page = client.post("/repair/apply/", _form(repairable_penalty(), materials=executable)).content.decode()
    assert "不是有效的PDF、JPG或PNG文件" in page


def test_objection_shows_under_objection_on_the_public_record_page(client):
    penalty = repairable_penalty()
    file(penalty, kind=ApplicationKind.OBJECTION)
    assert "异议处理中" in client.get(f"/publicity/penalties/{penalty.pk}/").content.decode()


def test_staff_home_blocks_count_what_waits(reviewer, clerk):
    file(repairable_penalty())
    blocks = staff_home_blocks(user=reviewer, today=TODAY)
    counts = {str(item["label"]): item["count"] for item in blocks[0]["items"]}
    assert counts["待受理"] == 1
    assert staff_home_blocks(user=clerk, today=TODAY)[0]["items"][0]["count"] == 0


def test_staff_home_shows_the_repair_block_and_the_nav_link(client, reviewer):
    file(repairable_penalty())
    client.force_login(reviewer)
    page = client.get("/staff/").content.decode()
    assert "信用修复与异议" in page
    assert "/staff/repair/" in page
