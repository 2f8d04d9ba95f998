"""Bulk import of 双公示 records from the national template (DOMAIN §3; issue 3 §6).

A file is read as a stream and handled in batches: each batch is cleaned row by row with the validation module
the forms and API use, its subjects are resolved with one set-based call, and its good rows are filed with one
set-based call (same department and document number → update). A bad row never stops the good ones.
"""

from __future__ import annotations

import datetime
import gc
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from typing import IO

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from credit_portal import access
from credit_portal.errors import DomainError, PermissionDenied
from disclosure import services as record_services
from disclosure import validation
from disclosure.choices import ImportStatus
from disclosure.models import ImportJob
from registry.models import User

from . import readers
from .columns import KIND_ALIASES
from .readers import FileRejected, HeaderRejected, RowError

logger = logging.getLogger(__name__)


def batch_size() -> int:
    return settings.DISCLOSURE_IMPORT_BATCH_SIZE


def max_bytes() -> int:
    return settings.DISCLOSURE_IMPORT_MAX_BYTES


def parse_kind(value: str) -> str:
    """licensing | penalty, or the standard's 行政许可 | 行政处罚 (DOMAIN §11)."""
    kind = KIND_ALIASES.get((value or "").strip())
    if kind is None:
        raise DomainError(
            _("请选择导入类型：行政许可（licensing）或行政处罚（penalty）。"), code="invalid_kind", field="kind"
        )
    return kind


def check_upload(*, kind: str, upload: UploadedFile) -> None:
    """Refuse a file that cannot be imported at all before a job is queued: type, size, encoding, header."""
    if upload.size is not None and upload.size > max_bytes():
        raise FileRejected(
            _("文件超过%(limit)d MB，请拆分后分批导入。") % {"limit": max_bytes() // (1024 * 1024)}, code="too_large"
        )
    with readers.open_rows(upload, name=upload.name) as rows:
        first = next(rows, None)
        if first is None:
            raise FileRejected(_("文件为空，请使用下载的模板填写后再导入。"), code="empty_file")
        readers.map_header(kind, first[1])
    upload.seek(0)


@transaction.atomic
def start_import(
    *, by: User, kind: str, file: UploadedFile, is_all_or_nothing: bool = False, publish: bool = False
) -> ImportJob:
    """Queue the import of an uploaded file for the clerk's department; the worker starts after the commit."""
    from .tasks import run_import as run_import_task

    department = getattr(by, "department", None)
    if not access.is_clerk(by) or department is None:
        raise PermissionDenied(_("只有部门填报员可以导入本部门的记录。"))
    kind = parse_kind(kind)
    if publish and not by.has_perm(f"disclosure.publish_{kind}"):
        raise PermissionDenied(_("您没有公示权限，请取消“导入后直接公示”。"), field="publish")
    check_upload(kind=kind, upload=file)
    job = ImportJob.objects.create(
        kind=kind,
        department=department,
        uploaded_by=by,
        file=file,
        original_name=file.name[:255],
        status=ImportStatus.PENDING,
        is_all_or_nothing=is_all_or_nothing,
        publish=publish,
    )
    transaction.on_commit(partial(run_import_task.delay, job.pk))
    return job


def _batches(rows: Iterable[tuple[int, tuple]], size: int) -> Iterator[list[tuple[int, tuple]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _estimate_rows(handle: IO[bytes], *, name: str) -> int | None:
    """Rows below the header, for the progress bar: counted for CSV (cheap), read from the sheet's dimension for xlsx."""
    if readers.file_format(name) == readers.CSV:
        handle.seek(0)
        lines = sum(chunk.count(b"\n") for chunk in iter(partial(handle.read, 1024 * 1024), b""))
        handle.seek(0)
        return max(lines - 1, 0)
    return readers.xlsx_row_estimate(handle)


# Imports running in this process, and the collector thresholds from before the first of them (``_fewer_collections``).
_collector = {"imports": 0, "thresholds": gc.get_threshold()}
_collector_lock = threading.Lock()
GC_THRESHOLD = 50_000


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Fewer runs of Python's cyclic garbage collector while files are imported.

    An import allocates millions of short-lived objects (cells, cleaned rows, COPY lines), hardly any in a reference
    cycle; at the default threshold (700 allocations) the collector runs every few rows and scans the surviving
    batch each time, and every hundredth run the whole process (about a tenth of an import's CPU). Reference
    counting still frees nearly everything at once, so memory stays flat; cycles are collected, only less often.
    The thresholds of before come back when the last running import of the process ends.
    """
    with _collector_lock:
        if not _collector["imports"]:
            _collector["thresholds"] = gc.get_threshold()
            generation0, *older = _collector["thresholds"]
            gc.set_threshold(max(generation0, GC_THRESHOLD), *older)
        _collector["imports"] += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector["imports"] -= 1
            if not _collector["imports"]:
                gc.set_threshold(*_collector["thresholds"])


def run_import(*, job_id: int) -> ImportJob | None:
    """Import one queued file; safe to run twice (re-filing the same numbers updates, never duplicates)."""
    claimed = ImportJob.objects.filter(pk=job_id, status__in=[ImportStatus.PENDING, ImportStatus.RUNNING]).update(
        status=ImportStatus.RUNNING
    )
    if not claimed:
        return None  # finished already, or deleted: nothing to do
    job = ImportJob.objects.select_related("department", "uploaded_by").get(pk=job_id)
    progress = Progress(job)
    try:
        with _fewer_collections(), job.file.open("rb") as handle:
            if readers.file_format(job.original_name) == readers.CSV:
                progress.total = _estimate_rows(handle, name=job.original_name) or 0
            with readers.open_rows(handle, name=job.original_name) as rows:
                if isinstance(rows, readers.SheetRows):  # xlsx: the sheet's dimension, read as it was opened
                    progress.total = rows.estimate or 0
                if job.is_all_or_nothing:
                    _import_all_or_nothing(job, rows, progress)
                else:
                    _import_rows(job, rows, progress)
    except HeaderRejected as refused:
        progress.file_errors(refused.errors)
    except FileRejected as refused:
        progress.file_errors([RowError(1, "file", refused.code, str(refused.message))])
    except DomainError as refused:  # e.g. the uploader is no longer a clerk of the department
        progress.file_errors([RowError(None, "file", refused.code, str(refused.message))])
    except OperationalError:
        # Transient (database restarted, lock timeout): the task retries; the job stays "running" so that the
        # rerun claims it and starts over, which re-files the same numbers as updates.
        raise
    except Exception:
        logger.exception("import %s failed", job_id)
        progress.file_errors(
            [RowError(None, "file", "import_failed", str(_("导入时发生系统错误，请稍后重试或联系管理员。")))]
        )
    progress.finish()
    job.refresh_from_db()
    return job


class Progress:
    """Counts and errors of a running job, written once per batch so that the page can show a progress bar."""

    def __init__(self, job: ImportJob):
        self.job = job
        self.total = 0
        self.imported = 0
        self.failed = 0
        self.errors: list[dict] = []
        self.file_failed = False

    def add(self, *, imported: int, failed: int, errors: list[RowError]) -> None:
        self.imported += imported
        self.failed += failed
        self.errors.extend(error.as_dict() for error in errors)
        done = self.imported + self.failed
        ImportJob.objects.filter(pk=self.job.pk).update(
            total=max(self.total, done), imported=self.imported, failed=self.failed
        )

    def file_errors(self, errors: list[RowError]) -> None:
        self.file_failed = True
        self.errors.extend(error.as_dict() for error in errors)

    def finish(self) -> None:
        ImportJob.objects.filter(pk=self.job.pk).update(
            status=ImportStatus.FAILED if self.file_failed else ImportStatus.DONE,
            total=self.imported + self.failed,
            imported=self.imported,
            failed=self.failed,
            errors=self.errors,
            finished_at=timezone.now(),
        )


class _Turns:
    """Which of the import's two threads runs Python: the one filing a batch, or the one reading and cleaning the next.

    Threads share one interpreter lock: the cleaning thread gains only while the filing thread waits (on the
    database, or for the next batch); while both run Python they merely take turns, and the filing thread, the
    import's critical path, is slowed for nothing. So the cleaning thread pauses every few rows until the filing
    thread waits again. A pause lasts at most ``PAUSE_LIMIT`` seconds: a wait this does not see (the commit, the
    staging COPY) costs some overlap, never progress.
    """

    EVERY_ROWS = 10
    PAUSE_LIMIT = 0.05

    def __init__(self):
        self._filer_waits = threading.Event()

    @contextmanager
    def filer_waiting(self) -> Iterator[None]:
        self._filer_waits.set()
        try:
            yield
        finally:
            self._filer_waits.clear()

    def filer_is_waiting(self) -> bool:
        return self._filer_waits.is_set()

    def database(self, execute, sql, params, many, context):
        """``connection.execute_wrapper`` of the filing thread's connection: each statement is a wait."""
        with self.filer_waiting():
            return execute(sql, params, many, context)

    def result(self, pending: Future):
        with self.filer_waiting():
            return pending.result()

    def pause(self) -> None:
        """Called by the cleaning thread every ``EVERY_ROWS`` rows."""
        self._filer_waits.wait(self.PAUSE_LIMIT)

    def paced(self, rows: Iterable) -> Iterator:
        """The rows, read with a pause every ``EVERY_ROWS`` (reading an xlsx costs more than cleaning it)."""
        every = self.EVERY_ROWS
        for count, row in enumerate(rows):
            if not count % every:
                self.pause()
            yield row


def _import_rows(job: ImportJob, rows: Iterator[tuple[int, tuple]], progress: Progress) -> None:
    first = next(rows, None)
    if first is None:
        raise FileRejected(_("文件为空，请使用下载的模板填写后再导入。"), code="empty_file")
    header = readers.map_header(job.kind, first[1])
    seen_numbers: dict[str, int] = {}
    subjects: dict = {}  # subject blocks parsed once per file (validation.clean_row_for_filing)
    turns = _Turns()
    data_rows = ((number, values) for number, values in turns.paced(rows) if not readers.is_blank(values))
    batches = _batches(data_rows, batch_size())
    language = translation.get_language()

    def clean_next() -> CleanBatch | None:
        with translation.override(language):  # the messages in the task's language
            batch = next(batches, None)
            if batch is None:
                return None
            return clean_batch(
                job=job, header=header, batch=batch, seen_numbers=seen_numbers, subjects=subjects, pause=turns.pause
            )

    # Reading and cleaning the next batch (Python only, never the database) runs in one helper thread while this
    # one files the current batch (mostly waiting on the database): the two overlap instead of adding up, the
    # helper running while this thread waits (``_Turns``). One thread cleans the batches in file order, so
    # duplicate numbers are found as in a single loop.
    with (
        connection.execute_wrapper(turns.database),
        ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"import-{job.pk}") as cleaner,
    ):
        pending = cleaner.submit(clean_next)
        while (cleaned := turns.result(pending)) is not None:
            pending = cleaner.submit(clean_next)
            imported, errors = file_batch(job=job, cleaned=cleaned)
            failed_rows = len({error.row for error in errors})
            progress.add(imported=imported, failed=failed_rows, errors=errors)


def _import_all_or_nothing(job: ImportJob, rows: Iterator[tuple[int, tuple]], progress: Progress) -> None:
    """The "all or nothing" choice: one transaction, rolled back when any row is bad (issue 3 §6)."""
    with transaction.atomic():
        _import_rows(job, rows, progress)
        if progress.failed:
            transaction.set_rollback(True)
    bad_rows = progress.failed
    if bad_rows:
        progress.failed += progress.imported
        progress.imported = 0
        progress.errors.insert(
            0,
            RowError(
                None,
                "file",
                "all_or_nothing",
                str(
                    _("文件中有%(count)d行有错误，按“有错误时整体不导入”的选择，整个文件均未导入。请改正后重新导入。")
                    % {"count": bad_rows}
                ),
            ).as_dict(),
        )


@dataclass
class CleanBatch:
    """One batch after cleaning: the good rows (with their parsed subjects and file row numbers) and the errors."""

    today: datetime.date
    rows: list[dict] = field(default_factory=list)
    subjects: list = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def import_batch(
    *,
    job: ImportJob,
    header: readers.HeaderMap,
    batch: list[tuple[int, tuple]],
    seen_numbers: dict[str, int],
    subjects: dict | None = None,
) -> tuple[int, list[RowError]]:
    """Clean, resolve and file one batch; returns (rows imported, errors by file row number).

    Queries do not grow with the batch: cleaning is in memory (the subject block parsed once, then handed on),
    subjects and records are resolved and written by the set-based ``file_records_bulk``.
    """
    cleaned = clean_batch(job=job, header=header, batch=batch, seen_numbers=seen_numbers, subjects=subjects)
    return file_batch(job=job, cleaned=cleaned)


def clean_batch(
    *,
    job: ImportJob,
    header: readers.HeaderMap,
    batch: list[tuple[int, tuple]],
    seen_numbers: dict[str, int],
    subjects: dict | None = None,
    pause: Callable[[], None] | None = None,
) -> CleanBatch:
    """Cells → cleaned rows by the validation module, and each bad row's errors; in memory, no query.

    ``pause``, when given, is called every ``_Turns.EVERY_ROWS`` rows (the import's helper thread yields there).
    """
    clean = partial(validation.clean_row_for_filing, job.kind, subjects=subjects)
    prepare = readers.preparer(job.kind, header)
    result = CleanBatch(today=timezone.localdate())
    every = _Turns.EVERY_ROWS
    for position, (number, values) in enumerate(batch):
        if pause is not None and not position % every:
            pause()
        data = prepare(values)
        cleaned, row_errors, subject = clean(data, today=result.today)
        if row_errors:
            result.errors.extend(RowError(number, error.field, error.code, str(error.message)) for error in row_errors)
            continue
        document_number = cleaned["document_number"]
        if document_number in seen_numbers:
            result.errors.append(
                RowError(
                    number,
                    "document_number",
                    "duplicate_in_file",
                    str(
                        _("文书号“%(number)s”与第%(row)d行重复：同一文件中一个文书号只能出现一次。")
                        % {"number": document_number, "row": seen_numbers[document_number]}
                    ),
                )
            )
            continue
        seen_numbers[document_number] = number
        cleaned["source_department_uscc"] = data.get("source_department_uscc") or ""
        result.rows.append(cleaned)
        result.subjects.append(subject)
        result.numbers.append(number)
    return result


def file_batch(*, job: ImportJob, cleaned: CleanBatch) -> tuple[int, list[RowError]]:
    """File a cleaned batch set-based (``file_records_bulk``); (rows imported, errors by file row number)."""
    errors = list(cleaned.errors)
    if not cleaned.rows:
        return 0, errors
    results = record_services.file_records_bulk(
        by=job.uploaded_by,
        department=job.department,
        kind=job.kind,
        rows=cleaned.rows,
        publish=job.publish,
        today=cleaned.today,
        subjects=cleaned.subjects,
    )
    imported = 0
    for number, result in zip(cleaned.numbers, results, strict=True):
        if result.errors:
            errors.extend(RowError(number, error.field, error.code, str(error.message)) for error in result.errors)
        else:
            imported += 1
    errors.sort(key=lambda error: error.row or 0)
    return imported, errors


def purge_import_files(*, now: datetime.datetime, keep_days: int, batch_size: int = 500) -> int:
    """Delete uploaded files of imports finished more than ``keep_days`` ago (DOMAIN §10: they may hold ID numbers).

    The job rows, counts and errors stay; only the stored upload goes.
    """
    due = ImportJob.objects.filter(finished_at__lt=now - datetime.timedelta(days=keep_days)).exclude(file="")
    purged = 0
    while batch := list(due.values_list("pk", "file")[:batch_size]):
        for _pk, name in batch:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("could not delete import file %s", name)
        purged += ImportJob.objects.filter(pk__in=[pk for pk, _name in batch]).update(file="")
    return purged
