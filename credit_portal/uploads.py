"""Shared checks for uploaded files (issue 9 §5): type by content, never by name alone; xlsx archives that would
unpack to far more than they weigh (zip bombs) are refused before any reader opens them."""

from __future__ import annotations

import zipfile
from typing import IO

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

# Content signature -> (MIME type, extensions the name may carry).
SIGNATURES: tuple[tuple[bytes, str, tuple[str, ...]], ...] = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"PK\x03\x04", "application/zip", (".xlsx", ".zip", ".docx")),
)


class UploadRefused(DomainError):
    code = "upload_refused"


def sniff(handle: IO[bytes]) -> str | None:
    """The MIME type the first bytes show (PDF, PNG, JPEG or a zip container), or None; the position is kept."""
    position = handle.tell() if hasattr(handle, "tell") else 0
    handle.seek(0)
    head = handle.read(16)
    handle.seek(position)
    return next((kind for magic, kind, _extensions in SIGNATURES if head.startswith(magic)), None)


def content_matches_name(handle: IO[bytes], name: str) -> bool:
    """True when the content is one of the known types and the name's extension is one that type may carry."""
    kind = sniff(handle)
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""
    return kind is not None and any(kind == k and extension in exts for _m, k, exts in SIGNATURES)


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def check_xlsx_archive(handle: IO[bytes], *, field: str = "file") -> None:
    """Refuse an .xlsx (a zip archive) whose members would unpack beyond the limits: too many members, too many
    bytes in all, or a member compressed far beyond what spreadsheets reach. Python's zipfile never inflates a member
    past the size it declares, so checking the declared sizes bounds what any reader will unpack."""
    position = handle.tell()
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadRefused(
            _("无法读取该 .xlsx 文件，请确认文件未损坏并另存为 .xlsx 后再上传。"), code="unreadable", field=field
        ) from None
    finally:
        handle.seek(position)
    max_members = _limit("UPLOAD_XLSX_MAX_MEMBERS", 1000)
    max_total = _limit("UPLOAD_XLSX_MAX_UNCOMPRESSED_BYTES", 512 * 1024 * 1024)
    max_ratio = _limit("UPLOAD_XLSX_MAX_RATIO", 200)
    total = sum(member.file_size for member in members)
    too_dense = any(
        member.file_size > 1024 * 1024 and member.file_size > max_ratio * max(member.compress_size, 1)
        for member in members
    )
    if len(members) > max_members or total > max_total or too_dense:
        raise UploadRefused(
            _(
                "该 .xlsx 文件解压后过大或压缩比异常（可能是“压缩炸弹”），已拒绝。请删除空白行列后另存为 .xlsx 再上传。"
            ),
            code="archive_too_large",
            field=field,
        )
