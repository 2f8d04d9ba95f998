"""Test data of repair: records that may be repaired or objected to, and applications filed through the service."""

from __future__ import annotations

import datetime
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.choices import RecordStatus
from repair import services
from repair.choices import ApplicationKind, ObjectionGround, TargetKind
from sanctions.choices import ListColor
from sanctions.models import ListType
from tests.disclosure.factories import PenaltyFactory
from tests.registry.factories import NaturalPersonFactory, make_resident_id
from tests.sanctions.factories import ListEntryFactory

TODAY = datetime.date(2026, 11, 25)  # a Wednesday
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
_numbers = count(1)


def pdf(name: str = "承诺书.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def repairable_penalty(**overrides):
    """A published penalty whose shortest period is over and that may be repaired."""
    values = {
        "published": True,
        "decision_date": datetime.date(2025, 6, 2),
        "shortest_end_date": datetime.date(2025, 9, 2),
        "publication_end_date": datetime.date(2028, 6, 2),
        "is_repairable": True,
    }
    values.update(overrides)
    return PenaltyFactory(**values)


def person_penalty(**overrides):
    """A published penalty of a natural person; returns (penalty, clear ID number)."""
    number = make_resident_id(seed=next(_numbers) + 500)
    person = NaturalPersonFactory(name="张三明")
    person.set_id_number(number)
    person.save()
    return repairable_penalty(subject=person, uscc="", **overrides), number


def removable_type(**overrides) -> ListType:
    values = {
        "code": f"t{next(_numbers)}",
        "name": f"测试黑名单{next(_numbers)}",
        "color": ListColor.BLACK,
        "legal_basis": "测试依据",
        "issuing_authority": "测试部门",
        "early_removal_allowed": True,
        "min_months_before_repair": 6,
    }
    values.update(overrides)
    return ListType.objects.create(**values)


def removable_entry(**overrides):
    """A published black-list entry whose type allows early removal and whose minimum period is over."""
    values = {"list_type": removable_type(), "valid_from": datetime.date(2026, 3, 2)}
    values.update(overrides)
    return ListEntryFactory(**values)


def file(target, *, kind=ApplicationKind.REPAIR, today=TODAY, materials=None, **overrides):
    """File an application about a penalty, licensing record or list entry through the service."""
    if hasattr(target, "list_type"):
        target_kind, number, subject = TargetKind.LIST_ENTRY, target.decision_document_number, target.subject
        name = subject.name
    else:
        target_kind = TargetKind.PENALTY if target.record_kind == "penalty" else TargetKind.LICENSING
        number, subject, name = target.document_number, target.subject, target.subject_name
    data = {
        "kind": kind,
        "target_kind": target_kind,
        "document_number": number,
        "subject_name": name,
        "uscc": subject.uscc or "",
        "statement": "罚款已于2025年6月缴清，已完成整改。",
        "contact_name": "李经理",
        "contact_phone": "13800138000",
        "contact_email": "applicant@example.com",
        "materials": [pdf()] if materials is None else materials,
        "today": today,
    }
    if kind == ApplicationKind.OBJECTION:
        data["ground"] = ObjectionGround.WRONG
    data.update(overrides)
    return services.file_application(**data)


__all__ = [
    "RecordStatus",
    "TODAY",
    "file",
    "pdf",
    "person_penalty",
    "removable_entry",
    "removable_type",
    "repairable_penalty",
]
