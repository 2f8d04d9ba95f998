"""Every place that accepts a file checks it by content, size and count; xlsx imports refuse zip bombs (issue 9 §5).

The inventory test walks every FileField of every model: a new one without a row in CHECKERS fails, so no upload
path can be added without a content check.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from campaigns.models import MAX_UPLOAD_BYTES, validate_upload
from credit_portal import uploads
from credit_portal.errors import DomainError
from disclosure.imports import readers, templates
from repair import uploads as repair_uploads

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML = b"<html><script>alert(1)</script></html>"
EXE = b"MZ\x90\x00" + b"\x00" * 64


def _repair(upload):
    repair_uploads.check_uploads([upload])


def _campaigns(upload):
    validate_upload(upload)


def _import(upload):
    readers.check_file(upload, name=upload.name)


# model label.field -> the check its uploads pass before they are stored
CHECKERS = {
    "repair.Material.file": _repair,  # repair.services: uploads.check_uploads (PDF/JPG/PNG, size, count)
    "campaigns.CampaignMaterial.file": _campaigns,  # model validators (UPLOAD_VALIDATORS)
    "campaigns.ActionReport.attachment": _campaigns,
    "campaigns.ComplaintEvidence.file": _campaigns,
    "disclosure.ImportJob.file": _import,  # imports.services.check_upload -> readers.check_file
}
DOCUMENT_CHECKERS = {name: check for name, check in CHECKERS.items() if check is not _import}


def _refused(check, upload) -> bool:
    try:
        check(upload)
    except (DomainError, ValidationError):
        return True
    return False


def test_every_file_field_of_every_model_has_a_content_check():
    fields = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if not model._meta.label.split(".")[1].startswith("Historical")
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    }
    assert fields - set(CHECKERS) == set(), "file fields without a content check in tests/security/test_uploads.py"
    for label in ("campaigns.CampaignMaterial.file", "campaigns.ActionReport.attachment"):
        model_label, field_name = label.rsplit(".", 1)
        field = apps.get_model(model_label)._meta.get_field(field_name)
        assert validate_upload in field.validators, label


@pytest.mark.parametrize("name", sorted(DOCUMENT_CHECKERS))
@pytest.mark.parametrize(
    ("filename", "content"),
    [("page.pdf", HTML), ("program.jpg", EXE), ("picture.pdf", PNG), ("scan.png", PDF), ("noextension", PDF)],
)
def test_documents_whose_content_is_not_what_the_name_says_are_refused(name, filename, content):
    assert _refused(DOCUMENT_CHECKERS[name], SimpleUploadedFile(filename, content))


@pytest.mark.parametrize("name", sorted(DOCUMENT_CHECKERS))
def test_genuine_documents_pass(name):
    assert not _refused(DOCUMENT_CHECKERS[name], SimpleUploadedFile("scan.pdf", PDF))
    assert not _refused(DOCUMENT_CHECKERS[name], SimpleUploadedFile("photo.PNG", PNG))


@pytest.mark.parametrize("name", sorted(DOCUMENT_CHECKERS))
def test_documents_over_the_size_limit_are_refused(name, settings):
    settings.REPAIR_UPLOAD_MAX_BYTES = MAX_UPLOAD_BYTES
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * MAX_UPLOAD_BYTES)
    assert _refused(DOCUMENT_CHECKERS[name], big)


@pytest.mark.django_db
def test_too_many_repair_materials_are_refused(settings):
    settings.REPAIR_UPLOAD_MAX_FILES = 2
    files = [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(3)]
    with pytest.raises(DomainError) as refused:
        repair_uploads.check_uploads(files)
    assert refused.value.code == "too_many_files"


def test_complaint_evidence_is_limited_in_number_on_the_page_and_in_the_api():
    from campaigns.api.serializers import ComplaintFilingSerializer
    from campaigns.forms import ComplaintForm

    files = [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(6)]
    form = ComplaintForm(data={}, files={"evidence": files})
    form.is_valid()
    assert "evidence" in form.errors
    assert ComplaintFilingSerializer().fields["evidence"].max_length == 5


# --- Imports: type, encoding and zip bombs ---------------------------------------------------------------------
def _zip_bomb(member_bytes: int = 40 * 1024 * 1024) -> bytes:
    """A valid zip shaped like an xlsx whose sheet inflates to ``member_bytes`` of the same character."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"0" * (1024 * 1024)
            for _ in range(member_bytes // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = _zip_bomb()
    assert len(bomb) < 200 * 1024  # 40 MB of sheet in a few dozen KB
    with pytest.raises(readers.FileRejected) as refused:
        readers.check_file(SimpleUploadedFile("bomb.xlsx", bomb), name="bomb.xlsx")
    assert refused.value.code == "archive_too_large"


def test_an_archive_that_unpacks_beyond_the_total_limit_is_refused(settings):
    settings.UPLOAD_XLSX_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    settings.UPLOAD_XLSX_MAX_RATIO = 10**6
    with pytest.raises(uploads.UploadRefused):
        uploads.check_xlsx_archive(io.BytesIO(_zip_bomb(2 * 1024 * 1024)))


def test_the_genuine_import_template_passes_the_archive_check():
    template = templates.template_file("penalty", "xlsx")
    assert readers.check_file(SimpleUploadedFile("t.xlsx", template), name="t.xlsx") == "xlsx"


@pytest.mark.parametrize(
    ("filename", "content", "code"),
    [
        ("records.xlsx", HTML, "unreadable"),  # not a zip at all
        ("records.xlsx", b"PK\x03\x04broken", "unreadable"),  # a zip header and nothing behind it
        ("records.csv", "名称,代码\n".encode("gb18030"), "encoding"),
        ("records.xls", PDF, "unsupported_type"),
        ("records.csv", b"", "empty_file"),
    ],
)
def test_import_files_are_checked_by_content(filename, content, code):
    with pytest.raises(readers.FileRejected) as refused:
        readers.check_file(SimpleUploadedFile(filename, content), name=filename)
    assert refused.value.code == code


@pytest.mark.django_db
def test_the_import_api_answers_a_zip_bomb_with_400_and_stores_nothing(clerk, api_for):
    from disclosure.models import ImportJob

    response = api_for(clerk).post(
        "/api/v1/disclosure/imports/",
        {"kind": "penalty", "file": SimpleUploadedFile("bomb.xlsx", _zip_bomb())},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "archive_too_large"
    assert not ImportJob.objects.exists()


def test_credit_check_and_watchlist_uploads_refuse_a_zip_bomb(clerk):
    from credit_portal.watch import services as watch_services
    from credit_portal.watch.uploads import FileRejected
    from sanctions import uploads as sanctions_uploads

    with pytest.raises(uploads.UploadRefused) as refused:
        sanctions_uploads.read_codes(SimpleUploadedFile("codes.xlsx", _zip_bomb()), limit=10_000)
    assert refused.value.code == "archive_too_large"
    watchlist = watch_services.create_watchlist(owner=clerk, name="压缩炸弹")
    with pytest.raises((uploads.UploadRefused, FileRejected)) as refused:
        watch_services.upload_codes(watchlist=watchlist, by=clerk, handle=io.BytesIO(_zip_bomb()), name="codes.xlsx")
    assert refused.value.code == "archive_too_large"
    assert watchlist.subjects.count() == 0
