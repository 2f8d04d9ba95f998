"""Factories of the disclosure app: valid filing data, and records inserted directly for read-side tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from disclosure.choices import LicenceCategory, PenaltyCategory, RecordStatus, Severity, Timeliness
from disclosure.models import Licensing, Penalty
from tests.registry.factories import DepartmentFactory, SubjectFactory, make_uscc

AUTHORITY_USCC = make_uscc("1", "1", seed=777)


def subject_data(subject=None, **overrides) -> dict:
    """The subject block of a legal entity, valid."""
    data = {
        "subject_name": "天津西青测试科技有限公司",
        "subject_category": "legal_entity",
        "uscc": make_uscc("9", "1", seed=4242),
        "legal_representative": "王建国",
    }
    if subject is not None:
        data.update(
            subject_name=subject.name,
            subject_category=subject.category,
            uscc=subject.uscc or "",
            legal_representative=subject.legal_representative,
        )
    data.update(overrides)
    return data


def penalty_data(*, subject=None, number: str = "西青市监罚〔2024〕1号", **overrides) -> dict:
    """A valid 行政处罚 filing as the API and forms receive it."""
    data = {
        **subject_data(subject),
        "document_number": number,
        "violation_type": "销售不合格产品",
        "violation_facts": "经抽检，当事人销售的电线电缆导体电阻不合格。",
        "legal_basis": "《中华人民共和国产品质量法》第四十九条",
        "penalty_categories": ["fine"],
        "content": "罚款人民币贰万元整。",
        "fine_amount": "2",
        "decision_date": "2024-03-15",
        "authority_name": "天津市西青区市场监督管理局",
        "authority_uscc": AUTHORITY_USCC,
        "severity": "general",
        "procedure": "ordinary",
    }
    data.update(overrides)
    return data


def licensing_data(*, subject=None, number: str = "西青审批许〔2024〕1号", **overrides) -> dict:
    """A valid 行政许可 filing as the API and forms receive it."""
    data = {
        **subject_data(subject),
        "decision_document_name": "食品经营许可决定书",
        "document_number": number,
        "licence_category": "ordinary",
        "licence_name": "食品经营许可证",
        "licence_number": "JY11201110012345",
        "content": "准予食品经营许可。",
        "decision_date": "2024-03-15",
        "valid_from": "2024-03-15",
        "valid_to": "2029-03-14",
        "authority_name": "天津市西青区政务服务办公室",
        "authority_uscc": AUTHORITY_USCC,
    }
    data.update(overrides)
    return data


class _RecordFactory(factory.django.DjangoModelFactory):
    subject = factory.SubFactory(SubjectFactory)
    department = factory.SubFactory(DepartmentFactory)
    subject_name = factory.SelfAttribute("subject.name")
    subject_category = factory.SelfAttribute("subject.category")
    uscc = factory.LazyAttribute(lambda o: o.subject.uscc or "")
    legal_representative = factory.SelfAttribute("subject.legal_representative")
    authority_name = "天津市西青区市场监督管理局"
    authority_uscc = AUTHORITY_USCC
    decision_date = datetime.date(2024, 3, 15)
    publication_due_date = datetime.date(2024, 3, 26)
    content = "处理内容"
    status = RecordStatus.DRAFT
    timeliness = Timeliness.PENDING

    class Params:
        published = factory.Trait(
            status=RecordStatus.PUBLISHED,
            timeliness=Timeliness.ON_TIME,
            published_at=factory.LazyFunction(lambda: datetime.datetime(2024, 3, 20, 10, tzinfo=datetime.UTC)),
        )


class PenaltyFactory(_RecordFactory):
    class Meta:
        model = Penalty

    document_number = factory.Sequence(lambda n: f"测罚〔2024〕{n}号")
    violation_type = "销售不合格产品"
    violation_facts = "抽检不合格"
    legal_basis = "《中华人民共和国产品质量法》第四十九条"
    penalty_categories = factory.LazyFunction(lambda: [PenaltyCategory.FINE])
    fine_amount = Decimal("2")
    severity = Severity.GENERAL
    publication_end_date = datetime.date(2025, 3, 15)


class LicensingFactory(_RecordFactory):
    class Meta:
        model = Licensing

    document_number = factory.Sequence(lambda n: f"测许〔2024〕{n}号")
    decision_document_name = "食品经营许可决定书"
    licence_category = LicenceCategory.ORDINARY
    valid_from = datetime.date(2024, 3, 15)
    valid_to = datetime.date(2029, 3, 14)
    publication_end_date = datetime.date(2029, 3, 14)
