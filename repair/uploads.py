"""Upload checks of application materials: type by content (magic bytes), size and count limits (DOMAIN §8)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from credit_portal.errors import DomainError

from . import policy

# Content signature -> (MIME type, extensions the name may carry). The name alone is never trusted.
SIGNATURES: tuple[tuple[bytes, str, tuple[str, ...]], ...] = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
)


class UploadRefused(DomainError):
    code = "upload_refused"


@dataclass(frozen=True)
class CheckedUpload:
    file: UploadedFile
    content_type: str
    name: str


def sniff(upload: UploadedFile) -> str | None:
    """The MIME type the first bytes show, or None when they are not a PDF, PNG or JPEG."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type, _extensions in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def check_uploads(
    uploads: Sequence[UploadedFile], *, already: int = 0, field: str = "materials"
) -> list[CheckedUpload]:
    """Refuse the whole batch at the first file that is too many, too large or not what its content says."""
    uploads = [upload for upload in uploads if upload]
    limit = policy.max_upload_files()
    if already + len(uploads) > limit:
        raise UploadRefused(
            _("每份申请最多上传%(limit)d个文件。") % {"limit": limit}, code="too_many_files", field=field
        )
    max_bytes = policy.max_upload_bytes()
    checked = []
    for upload in uploads:
        name = (upload.name or "").rsplit("/", 1)[-1][:200]
        if upload.size > max_bytes:
            raise UploadRefused(
                _("文件“%(name)s”超过%(size)d MB，请压缩后重新上传。")
                % {"name": name, "size": max(1, max_bytes // (1024 * 1024))},
                code="file_too_large",
                field=field,
            )
        content_type = sniff(upload)
        extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        allowed = next((exts for _magic, kind, exts in SIGNATURES if kind == content_type), ())
        if content_type is None or extension not in allowed:
            raise UploadRefused(
                _("文件“%(name)s”不是有效的PDF、JPG或PNG文件，请上传扫描件或照片。") % {"name": name},
                code="file_type_not_allowed",
                field=field,
            )
        checked.append(CheckedUpload(file=upload, content_type=content_type, name=name))
    return checked
