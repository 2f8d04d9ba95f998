"""Materials are checked by content, size and count; a renamed executable is refused (DOMAIN §8)."""

from __future__ import annotations

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile

from credit_portal.errors import DomainError
from repair.models import Application, Material

from .factories import PNG, file, pdf, repairable_penalty

pytestmark = pytest.mark.django_db


def _refused(materials) -> str:
    with pytest.raises(DomainError) as caught:
        file(repairable_penalty(), materials=materials)
    assert not Application.objects.exists()
    return caught.value.code


def test_pdf_and_png_are_kept_with_their_sniffed_type():
    application = file(repairable_penalty(), materials=[pdf(), SimpleUploadedFile("现场.png", PNG)])
    assert sorted(application.materials.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]


def test_renamed_executable_is_refused():
    executable = SimpleUploadedFile("承诺书.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64, content_type="application/pdf")
    assert _refused([executable]) == "file_type_not_allowed"


def test_pdf_renamed_as_png_is_refused():
    assert _refused([pdf("photo.png")]) == "file_type_not_allowed"


def test_oversized_file_is_refused(settings):
    settings.REPAIR_UPLOAD_MAX_BYTES = 1024
    assert _refused([pdf(content=b"%PDF-1.4" + b"0" * 2048)]) == "file_too_large"


def test_too_many_files_are_refused(settings):
    settings.REPAIR_UPLOAD_MAX_FILES = 2
    assert _refused([pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")]) == "too_many_files"
    assert not Material.objects.exists()
