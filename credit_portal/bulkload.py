"""Loading many rows fast on PostgreSQL (demo data at city scale, issue 10): COPY, and index building after the load.

``copy_instances`` writes unsaved model instances with ``COPY … FROM STDIN`` (no per-row ORM preparation: each
field's value is read from the instance and formatted for COPY's text format). ``deferred_indexes`` drops the
non-unique secondary indexes and the foreign keys of some tables, and creates them again, from the definitions
PostgreSQL itself printed (``pg_get_indexdef``, ``pg_get_constraintdef``: same names, same definitions as the
migrations made), once the load is done: one sorted build per index and one validating join per foreign key
instead of millions of index insertions and row-by-row key checks. It runs inside one transaction, so a failure
anywhere rolls the drops back too: the tables never stay without their indexes. Unique indexes and primary keys
stay in place (they guard the data being loaded).

PostgreSQL only; callers keep their portable path (``bulk_create``) for SQLite.
"""

from __future__ import annotations

import datetime
import decimal
import io
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

COPY_BATCH = 50_000


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def copy_value(value) -> str:
    """One value in COPY's text format (NULL as \\N)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return _escape(value)
    if isinstance(value, (int, decimal.Decimal)):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return _escape(json.dumps(value, ensure_ascii=False))
    return _escape(str(value))


def _converter(field: models.Field, now: datetime.datetime) -> Callable[[object], str]:
    attname = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        stamp = now.isoformat()

        def auto(obj, attname=attname):
            value = getattr(obj, attname)
            return stamp if value is None else copy_value(value)

        return auto
    if isinstance(field, models.JSONField):
        return lambda obj: copy_value(
            None if getattr(obj, attname) is None else json.dumps(getattr(obj, attname), ensure_ascii=False)
        )
    return lambda obj: copy_value(getattr(obj, attname))


def copy_lines(table: str, columns: Sequence[str], lines: Iterable[str], *, batch: int = COPY_BATCH) -> int:
    """COPY already formatted lines (tab-separated, newline-terminated) into ``table``; returns the row count.

    Each COPY is logged like a query where Django logs queries (``DEBUG``, ``CaptureQueriesContext``).
    """
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    statement = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2's cursor: copy_expert is not part of Django's wrapper

        def send(buffer: io.StringIO) -> None:
            buffer.seek(0)
            started = time.monotonic()
            raw.copy_expert(statement, buffer)
            if connection.queries_logged:
                connection.queries_log.append({"sql": statement, "time": f"{time.monotonic() - started:.3f}"})

        buffer = io.StringIO()
        pending = 0
        for line in lines:
            buffer.write(line)
            pending += 1
            if pending >= batch:
                send(buffer)
                count += pending
                buffer, pending = io.StringIO(), 0
        if pending:
            send(buffer)
            count += pending
    return count


def instance_lines(
    model: type[models.Model],
    instances: Iterable[models.Model],
    *,
    extra: dict[str, Callable[[models.Model], object]] | None = None,
) -> tuple[list[str], Iterator[str]]:
    """(columns, COPY lines) of unsaved ``instances``: every concrete field but the primary key, then ``extra``.

    ``auto_now``/``auto_now_add`` fields left empty get the current time, as ``bulk_create`` would give them.
    ``extra`` adds columns computed from each instance (for a staging table).
    """
    now = timezone.now()
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    converters = [_converter(field, now) for field in fields]
    extra = extra or {}
    extra_functions = list(extra.values())

    def lines() -> Iterator[str]:
        for obj in instances:
            values = [convert(obj) for convert in converters]
            values += [copy_value(function(obj)) for function in extra_functions]
            yield "\t".join(values) + "\n"

    return [field.column for field in fields] + list(extra), lines()


def copy_instances(
    model: type[models.Model],
    instances: Iterable[models.Model],
    *,
    table: str | None = None,
    extra: dict[str, Callable[[models.Model], object]] | None = None,
) -> int:
    """COPY unsaved ``instances`` of ``model`` into its table (or ``table``); see ``instance_lines``."""
    columns, lines = instance_lines(model, instances, extra=extra)
    return copy_lines(table or model._meta.db_table, columns, lines)


def copy_dicts(model: type[models.Model], rows: Iterable[dict], *, table: str | None = None) -> int:
    """COPY rows given as dicts of attnames (``created_by_department_id``…) into ``model``'s table.

    Cheaper than model instances (no ``Model.__init__``); a missing key takes the field's default, and
    ``auto_now``/``auto_now_add`` fields the current time.
    """
    now = timezone.now()
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    defaults = [
        now if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False) else field.get_default()
        for field in fields
    ]
    plan = [(field.attname, default) for field, default in zip(fields, defaults, strict=True)]

    def lines() -> Iterator[str]:
        for row in rows:
            yield "\t".join([copy_value(row.get(attname, default)) for attname, default in plan]) + "\n"

    return copy_lines(table or model._meta.db_table, [field.column for field in fields], lines())


def _secondary_indexes(cursor, table: str, *, unique: bool) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the indexes that back no constraint (with ``unique``, unique ones too)."""
    cursor.execute(
        """
        SELECT c.relname, pg_get_indexdef(i.indexrelid)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = %s::regclass AND (%s OR NOT i.indisunique) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        ORDER BY c.relname
        """,
        [table, unique],
    )
    return list(cursor.fetchall())


def _constraints(cursor, table: str, *, unique: bool) -> list[tuple[str, str]]:
    """(name, definition) of the foreign keys (with ``unique``, the UNIQUE constraints too)."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND (contype = 'f' OR (%s AND contype = 'u')) ORDER BY contype, conname",
        [table, unique],
    )
    return list(cursor.fetchall())


def can_skip_key_checks() -> bool:
    """Whether this connection may turn off the per-row foreign-key triggers (``session_replication_role``)."""
    if not is_postgresql():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def _single_column_keys(cursor, table: str) -> list[tuple[str, str, str, str]]:
    """(name, column, referenced table, referenced column) of the table's single-column foreign keys."""
    cursor.execute(
        """
        SELECT k.conname, a.attname, k.confrelid::regclass::text, r.attname
        FROM pg_constraint k
        JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
        JOIN pg_attribute r ON r.attrelid = k.confrelid AND r.attnum = k.confkey[1]
        WHERE k.conrelid = %s::regclass AND k.contype = 'f' AND cardinality(k.conkey) = 1
        ORDER BY k.conname
        """,
        [table],
    )
    return list(cursor.fetchall())


def _check_keys(cursor, table: str) -> None:
    """Every foreign key of ``table`` holds, checked set-based (one anti-join per key); IntegrityError if not."""
    quote = connection.ops.quote_name
    for name, column, referenced, referenced_column in _single_column_keys(cursor, table):
        cursor.execute(
            f"SELECT t.{quote(column)} FROM {quote(table)} t LEFT JOIN {referenced} r "
            f"ON r.{quote(referenced_column)} = t.{quote(column)} "
            f"WHERE t.{quote(column)} IS NOT NULL AND r.{quote(referenced_column)} IS NULL LIMIT 1"
        )
        row = cursor.fetchone()
        if row is not None:
            raise IntegrityError(f"{table}.{column} = {row[0]} has no {referenced} row ({name})")


@contextmanager
def deferred_indexes(
    *tables: str,
    stdout: TextIO | None = None,
    analyze: bool = True,
    unique: bool = False,
    skip_key_checks: bool = False,
) -> Iterator[None]:
    """Within one transaction: drop the tables' secondary indexes and foreign keys, run the body, create them again.

    On PostgreSQL only (elsewhere just a transaction). Re-created from PostgreSQL's own definitions, so names and
    definitions are exactly those of the migrations; the foreign keys are validated again by the re-creation.
    ``unique`` drops the unique indexes and constraints too (all but the primary key): for a load whose rows are
    distinct by construction; a duplicate makes the re-creation, and so the whole load, fail.

    ``skip_key_checks`` (a superuser's connection, ``can_skip_key_checks``) keeps the foreign keys and turns
    their per-row triggers off for the transaction (``session_replication_role = replica``); each key is then
    checked once, set-based, before the commit. Dropping a foreign key locks the table it refers to, so two
    loads on two connections that both drop theirs would run one after the other; this way they run side by
    side.
    """
    if not is_postgresql():
        with transaction.atomic():
            yield
        return
    quote = connection.ops.quote_name
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Checks still deferred in this transaction run now: a table with pending ones cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            if skip_key_checks:
                cursor.execute("SET LOCAL session_replication_role = replica")
            saved: list[tuple[str, list[tuple[str, str]], list[tuple[str, str]]]] = []
            for table in tables:
                indexes = _secondary_indexes(cursor, table, unique=unique)
                keys = _constraints(cursor, table, unique=unique)
                if skip_key_checks:
                    keys = [(name, definition) for name, definition in keys if not definition.startswith("FOREIGN")]
                saved.append((table, indexes, keys))
                for name, _definition in keys:
                    cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                for name, _definition in indexes:
                    cursor.execute(f"DROP INDEX {quote(name)}")
            cursor.execute("SET LOCAL work_mem = '256MB'")  # the loads' joins and sorts in memory
        yield
        started = time.monotonic()
        with connection.cursor() as cursor:
            if skip_key_checks:
                cursor.execute("SET LOCAL session_replication_role = origin")
                for table in tables:
                    _check_keys(cursor, table)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for table, indexes, keys in saved:
                for _name, definition in indexes:
                    cursor.execute(definition)
                for name, definition in keys:
                    cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
                if analyze:
                    cursor.execute(f"ANALYZE {quote(table)}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        if stdout is not None:
            count = sum(len(indexes) + len(keys) for _table, indexes, keys in saved)
            stdout.write(
                f"  {count} indexes and foreign keys of {', '.join(tables)} built in "
                f"{time.monotonic() - started:.1f} s\n"
            )
