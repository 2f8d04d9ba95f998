"""The public credit report PDF: its text, its stored record, verification, and the download rate limit."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader

from django.core.cache import cache
from django.urls import reverse

from credit_portal.reports.models import CreditReport
from tests.registry.factories import NaturalPersonFactory, make_resident_id

from .factories import published_penalty, subject_with_records

pytestmark = pytest.mark.django_db

SECTION_HEADINGS = (
    "基本信息",
    "行政许可信息",
    "行政处罚信息（公示期内）",
    "红黑名单信息",
    "荣誉信息",
    "信用承诺信息",
    "信息来源及有效期说明",
)


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    # Extracted CJK text may carry layout spaces: compare without any whitespace.
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def download(client, subject):
    return client.post(reverse("credit-report-download", args=[subject.pk]))


def test_report_pdf_contains_name_code_number_and_every_section(client):
    subject = subject_with_records()
    response = download(client, subject)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    report = CreditReport.objects.get()
    text = pdf_text(response.content)
    assert "公共信用信息报告" in text
    assert subject.name in text
    assert subject.uscc in text
    assert report.number in text
    assert report.verification_code in text
    for heading in SECTION_HEADINGS:
        assert heading in text, heading
    assert "津西市监罚〔2026〕18号" in text
    assert "异议处理中" in text
    assert "/credit-report/verify/" in text  # the printed verification address (the QR code points there too)


def test_issued_report_is_stored_with_the_digest_of_the_pdf_and_no_visitor_data(client):
    subject = subject_with_records()
    response = download(client, subject)
    report = CreditReport.objects.get()
    assert report.subject_id == subject.pk
    assert report.sha256 == hashlib.sha256(response.content).hexdigest()
    assert report.requested_by is None
    assert {field.name for field in CreditReport._meta.fields} == {
        "id",
        "number",
        "verification_code",
        "subject",
        "generated_at",
        "sha256",
        "requested_by",
    }


def test_report_numbers_are_unique_and_not_sequential(client):
    subject = subject_with_records()
    download(client, subject)
    download(client, subject)
    first, second = CreditReport.objects.order_by("pk")
    assert first.number != second.number
    assert first.number[:12] == second.number[:12]  # XYBG + the date
    assert first.number[12:] != second.number[12:]
    assert len(first.number) - 12 >= 10


def test_natural_person_is_masked_in_the_pdf(client):
    id_number = make_resident_id(seed=91)
    person = NaturalPersonFactory(name="赵六奇", id_number=id_number)
    published_penalty(subject=person, uscc="", legal_representative="")
    text = pdf_text(download(client, person).content)
    assert "赵*奇" in text
    assert "赵六奇" not in text
    assert id_number not in text


def test_verification_page_confirms_a_real_report(client):
    subject = subject_with_records()
    download(client, subject)
    report = CreditReport.objects.get()
    response = client.get(report.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "验证通过" in html
    assert report.number in html and subject.name in html and subject.uscc in html


@pytest.mark.parametrize("forge", ["number", "code"])
def test_verification_page_refuses_a_forged_number_or_code(client, forge):
    subject = subject_with_records()
    download(client, subject)
    report = CreditReport.objects.get()
    number = report.number[:-1] + ("2" if report.number[-1] != "2" else "3") if forge == "number" else report.number
    code = report.verification_code if forge == "number" else "AAAAAAAA"
    response = client.get(reverse("credit-report-verify"), {"number": number, "code": code})
    assert response.status_code == 404
    assert "未找到该报告" in response.content.decode()
    assert subject.name not in response.content.decode()


def test_public_verification_api_confirms_and_refuses(api_client):
    subject = subject_with_records()
    from django.test import Client

    Client().post(reverse("credit-report-download", args=[subject.pk]))
    report = CreditReport.objects.get()
    url = reverse("api-credit-report-verify")
    answer = api_client.get(url, {"number": report.number, "code": report.verification_code})
    assert answer.status_code == 200
    assert answer.json()["subject_name"] == subject.name
    assert answer.json()["number"] == report.number
    refused = api_client.get(url, {"number": "XYBG20260101ABCDEFGHJK", "code": report.verification_code})
    assert refused.status_code == 404
    assert refused.json()["errors"][0]["code"] == "not_found"


def test_downloads_beyond_the_rate_limit_get_429_in_chinese(client, settings):
    settings.REPORTS_DOWNLOAD_RATE = "2/min"
    subject = subject_with_records()
    assert download(client, subject).status_code == 200
    assert download(client, subject).status_code == 200
    refused = download(client, subject)
    assert refused.status_code == 429
    assert "报告下载过于频繁" in refused.content.decode()
    assert CreditReport.objects.count() == 2


def test_download_needs_post(client):
    subject = subject_with_records()
    assert client.get(reverse("credit-report-download", args=[subject.pk])).status_code == 405
    assert CreditReport.objects.count() == 0


def test_credit_commitments_appear_in_the_report_when_recorded(client, clerk):
    from sanctions import models as sanctions_models

    commitment = getattr(sanctions_models, "Commitment", None)
    if commitment is None:
        pytest.skip("the sanctions app records no credit commitments yet")
    subject = subject_with_records()
    commitment.objects.create(
        subject=subject,
        department=clerk.department,
        commitment_type="notification",
        matter="食品经营许可告知承诺",
        text="按期补交材料",
        commitment_date="2026-05-06",
        recorded_by=clerk,
    )
    text = pdf_text(download(client, subject).content)
    assert "食品经营许可告知承诺" in text
    assert "告知承诺" in text


def test_commitment_section_says_none_without_commitments(client):
    subject = subject_with_records()
    text = pdf_text(download(client, subject).content)
    section = text.split("信用承诺信息")[1].split("信息来源及有效期说明")[0]
    assert "无" in section


def test_the_report_follows_the_visitors_language_without_chinese_punctuation(client):
    """The report is printed in the language the visitor chose (issue 8); only the data stays as filed."""
    subject = subject_with_records()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = download(client, subject)
    assert response.status_code == 200
    assert "filename*=UTF-8''Public%20credit%20information%20report-" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Publiccreditinformationreport" in text  # whitespace is removed for the CJK comparisons above
    assert "(Beijingtime)" in text
    assert "公共信用信息报告" not in text and "北京时间" not in text
