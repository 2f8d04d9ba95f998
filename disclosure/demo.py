"""Demo 双公示 records: licensing and penalty decisions over several years for the registry's demo subjects.

Called by ``manage.py generate_demo`` after the registry step. One streaming pass over the subjects, records
built in memory and inserted with ``bulk_create`` in batches; due dates from one calendar snapshot, periods from
one ``PolicyBook``. Most records were published on time, some late, some are overdue, a few are drafts; old
penalties past their period are expired, old licences past validity invalid (DOMAIN §3-§5).
Demo history counts as already delivered upstream, except the records published in the last days
(``RECENT_UNPUSHED_DAYS``): those get their outbox events, so the demo's first minute shows the push job
delivering them to the fake upstream (DOMAIN §12).
"""

from __future__ import annotations

import concurrent.futures
import datetime
import math
import random
import time
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from credit_portal import bulkload
from credit_portal.workdays import services as workdays
from registry.choices import DepartmentKind, IdType, SubjectCategory
from registry.models import Department, Subject

from . import policy
from .choices import DeadlineKind, LicenceState, PenaltyCategory, RecordKind, RecordStatus, Timeliness
from .models import Licensing, Penalty

BATCH = 5000
YEARS = 4
PENALTY_SHARE = 0.2  # of subjects with a penalty
LICENSING_SHARE = 0.3  # of subjects with a licence
RECENT_UNPUSHED_DAYS = 2  # records published this recently are still waiting for the push job
SQL_THRESHOLD = 100_000  # PostgreSQL: from this many records on, they are made in SQL from templates
TEMPLATES = 20_000  # templates per kind and subject category (SQL path)
MAX_SLOTS = 16  # at most this many records of a kind per subject (SQL path; numbers stay distinct)
SQL_SUBJECTS_PER_STATEMENT = 250_000

# (violation type, facts, legal basis, categories, severity, procedure)
PENALTY_CASES = (
    (
        "销售不合格产品",
        "经抽样检验，当事人销售的产品不符合国家标准。",
        "《中华人民共和国产品质量法》第四十九条",
        ["fine", "confiscate_gains"],
        "general",
        "ordinary",
    ),
    (
        "未按规定明码标价",
        "当事人经营场所内商品未按规定明码标价。",
        "《中华人民共和国价格法》第四十二条",
        ["warning"],
        "minor",
        "simple",
    ),
    (
        "虚假宣传",
        "当事人在网店页面对商品性能作虚假宣传。",
        "《中华人民共和国反不正当竞争法》第二十条",
        ["fine"],
        "general",
        "ordinary",
    ),
    (
        "未按期申报纳税",
        "当事人未按照规定期限办理纳税申报。",
        "《中华人民共和国税收征收管理法》第六十二条",
        ["fine"],
        "minor",
        "simple",
    ),
    (
        "超标排放污染物",
        "在线监测数据显示当事人废气排放浓度超过排放标准。",
        "《中华人民共和国大气污染防治法》第九十九条",
        ["fine", "order_suspension"],
        "serious",
        "ordinary",
    ),
    (
        "拖欠劳动者工资",
        "当事人拖欠劳动者工资，经责令限期支付逾期未支付。",
        "《保障农民工工资支付条例》第五十四条",
        ["fine"],
        "serious",
        "ordinary",
    ),
    (
        "无证经营食品",
        "当事人未取得食品经营许可从事食品经营活动。",
        "《中华人民共和国食品安全法》第一百二十二条",
        ["fine", "confiscate_property"],
        "general",
        "ordinary",
    ),
    (
        "安全生产隐患未整改",
        "当事人未按规定排查治理事故隐患。",
        "《中华人民共和国安全生产法》第一百零二条",
        ["fine", "revoke_licence"],
        "serious",
        "ordinary",
    ),
    (
        "消防设施未保持完好有效",
        "当事人消防设施、器材未保持完好有效。",
        "《中华人民共和国消防法》第六十条",
        ["fine"],
        "general",
        "ordinary",
    ),
    (
        "道路运输车辆超限",
        "当事人运输车辆超限运输。",
        "《公路安全保护条例》第六十六条",
        ["warning", "fine"],
        "minor",
        "simple",
    ),
)
LICENCES = (
    ("食品经营许可决定书", "食品经营许可证", "准予从事食品经营活动。", "ordinary", 5),
    ("道路运输经营许可决定书", "道路运输经营许可证", "准予从事道路普通货物运输。", "ordinary", 4),
    ("排污许可决定书", "排污许可证", "准予按许可内容排放污染物。", "approval", 5),
    ("建筑工程施工许可决定书", "建筑工程施工许可证", "准予建筑工程施工。", "approval", 2),
    ("公共场所卫生许可决定书", "公共场所卫生许可证", "准予经营公共场所。", "ordinary", 4),
    ("企业设立登记通知书", "营业执照", "准予设立登记。", "registration", 0),
    ("药品经营许可决定书", "药品经营许可证", "准予从事药品零售。", "special", 5),
)


def generate(
    *, rng: random.Random, today: datetime.date, stdout: TextIO, scale: int, records_per_subject: float | None = None
) -> None:
    """Licensing and penalty records for the demo subjects, set-based.

    ``records_per_subject`` (default ``PENALTY_SHARE + LICENSING_SHARE``, half a record) sets how many, 3 to 2
    licensing to penalty as in the default. On PostgreSQL, from ``SQL_THRESHOLD`` records on, they are made in SQL
    from records built here (``_generate_in_sql``); elsewhere each is built here and inserted with ``bulk_create``.
    """
    departments = list(Department.objects.filter(is_active=True, kind=DepartmentKind.AGENCY).order_by("pk"))
    if not departments:
        stdout.write("  no departments: run the registry step first\n")
        return
    if records_per_subject is None:
        licensing_share, penalty_share = LICENSING_SHARE, PENALTY_SHARE
    else:
        licensing_share = records_per_subject * LICENSING_SHARE / (LICENSING_SHARE + PENALTY_SHARE)
        penalty_share = records_per_subject - licensing_share
    builder = _Builder(rng=rng, today=today, departments=departments)
    subject_count = Subject.objects.count()
    if bulkload.is_postgresql() and subject_count * (licensing_share + penalty_share) >= SQL_THRESHOLD:
        counts = _generate_in_sql(
            builder, shares={"licensing": licensing_share, "penalty": penalty_share}, stdout=stdout
        )
    else:
        counts = _generate_in_python(builder, licensing_share=licensing_share, penalty_share=penalty_share)
    stdout.write(f"  {counts['licensing']} licensing and {counts['penalty']} penalty records (scale {scale})\n")
    queued = _queue_recent_publications(today=today)
    stdout.write(f"  {queued} recently published records queued for the upstream push\n")


def _draw(rng: random.Random, share: float) -> int:
    """How many records of a kind one subject gets: the whole part of ``share``, one more with its fraction."""
    whole = int(share)
    return whole + (1 if rng.random() < share - whole else 0)


def _generate_in_python(builder: _Builder, *, licensing_share: float, penalty_share: float) -> dict[str, int]:
    """One streaming pass over the subjects, records built in memory and inserted in batches."""
    rng = builder.rng
    fields = ("pk", "category", "name", "uscc", "registration_number", "legal_representative", "id_type")
    subjects = Subject.objects.order_by("pk").only(*fields, "id_number_encrypted", "id_number_masked")
    licensings: list[Licensing] = []
    penalties: list[Penalty] = []
    counts = {"licensing": 0, "penalty": 0}
    for subject in subjects.iterator(chunk_size=BATCH):
        for _ in range(_draw(rng, licensing_share)):
            licensings.append(builder.licensing(subject))
        for _ in range(_draw(rng, penalty_share)):
            penalties.append(builder.penalty(subject))
        if len(licensings) >= BATCH:
            counts["licensing"] += _insert(Licensing, licensings)
        if len(penalties) >= BATCH:
            counts["penalty"] += _insert(Penalty, penalties)
    counts["licensing"] += _insert(Licensing, licensings)
    counts["penalty"] += _insert(Penalty, penalties)
    return counts


# Columns the SQL path takes from the subject rather than from the template record (see _generate_in_sql).
_NATURAL_PERSON_COLUMNS = ("id_type", "id_number_encrypted", "id_number_masked")


def _generate_in_sql(builder: _Builder, *, shares: dict[str, float], stdout: TextIO) -> dict[str, int]:
    """PostgreSQL at scale: records built here as templates, then given to the subjects in SQL.

    For each kind and subject category, ``TEMPLATES`` records are built by the same ``_Builder`` as the Python
    path (department, decision date on a working day, due date from the calendar and the deadline policy, on
    time / late / overdue / draft, periods from the period rules, amounts, expiry) and COPYed into a temporary
    table. One ``INSERT … SELECT`` per range of subject ids then gives each subject its records: the subject's
    own name, category, codes and (persons) masked and encrypted ID number, a template drawn by a hash of
    (subject, slot), a fresh document (and licence) number. How many records a subject gets is drawn the same
    way, ``share`` on average. Hashes with a seed from ``rng``: the same seed gives the same data. Secondary
    indexes and foreign keys are built after the load (``credit_portal.bulkload``).
    """
    from django.db import connection

    rng = builder.rng
    seed_pick, seed_keep = rng.getrandbits(31), rng.getrandbits(31)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM registry_subject")
        low, high = cursor.fetchone()
    # Templates first, here and in order, so that the same seed gives the same data.
    loads = []
    for kind, model, build in (("licensing", Licensing, builder.licensing), ("penalty", Penalty, builder.penalty)):
        if shares[kind] <= 0:
            continue

        def templates(build=build):
            for category in SubjectCategory.values:
                subject = _template_subject(category)
                for number in range(TEMPLATES):
                    record = build(subject)
                    record.tpl_no, record.tpl_category = number, category
                    yield record

        columns, lines = bulkload.instance_lines(
            model, templates(), extra={"tpl_no": lambda r: r.tpl_no, "tpl_category": lambda r: r.tpl_category}
        )
        slots = min(MAX_SLOTS, max(1, math.ceil(shares[kind] * 2)))
        params = {
            "slots": slots,
            "stride": MAX_SLOTS,
            "seed_pick": seed_pick,
            "seed_keep": seed_keep,
            "keep": round(shares[kind] / slots * 2**20),
            "templates": TEMPLATES,
        }
        loads.append((kind, model, columns, list(lines), params))
    started = time.monotonic()

    def load(kind, model, columns, lines, params) -> int:
        """One table in one transaction: templates, the INSERTs by range of subjects, then its indexes."""
        table = model._meta.db_table
        template_table = f"demo_template_{kind}"
        # Into an empty table the document numbers are distinct by construction: the unique indexes are built
        # after the load too. Otherwise they stay, and a number already taken skips its record.
        empty = not model.objects.exists()
        count = 0
        with bulkload.deferred_indexes(table, stdout=stdout, unique=empty, skip_key_checks=side_by_side):
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{template_table}")
                cursor.execute(
                    f"CREATE TEMP TABLE {template_table} ON COMMIT DROP AS SELECT * FROM {table} WITH NO DATA"
                )
                cursor.execute(f"ALTER TABLE {template_table} ADD COLUMN tpl_no integer, ADD COLUMN tpl_category text")
            bulkload.copy_lines(template_table, columns, lines)
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {template_table}")
            sql = _expansion_sql(model, template_table, skip_conflicts=not empty)
            for start in range(low - 1, high, SQL_SUBJECTS_PER_STATEMENT):
                with connection.cursor() as cursor:
                    cursor.execute(sql, {**params, "low": start, "high": start + SQL_SUBJECTS_PER_STATEMENT})
                    count += cursor.rowcount
                stdout.write(f"  {count} {kind} records ({time.monotonic() - started:.0f} s)\n")
        return count

    counts = {"licensing": 0, "penalty": 0}
    # Side by side needs the foreign keys kept (dropping one locks the table it refers to, which would make the
    # second load wait for the first): their per-row triggers are turned off instead, which takes a superuser.
    side_by_side = not connection.in_atomic_block and len(loads) > 1 and bulkload.can_skip_key_checks()
    if not side_by_side:
        # Inside a transaction (tests, a caller's atomic block) other connections would not see its subjects.
        for kind, *rest in loads:
            counts[kind] = load(kind, *rest)
        return counts
    # Each table on its own connection, side by side: the two loads and index builds share the cores.
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(loads)) as pool:
        futures = {kind: pool.submit(_in_own_connection, load, kind, *rest) for kind, *rest in loads}
        for kind, future in futures.items():
            counts[kind] = future.result()
    return counts


def _in_own_connection(function, *args):
    """Run ``function`` in this worker thread with its own database connection, closed afterwards."""
    from django.db import connection

    try:
        return function(*args)
    finally:
        connection.close()


def _template_subject(category: str) -> Subject:
    """A stand-in subject for building templates: only its category matters, the rest comes from each subject."""
    subject = Subject(category=category, name="", uscc=None, registration_number="", legal_representative="")
    if category == SubjectCategory.NATURAL_PERSON:
        subject.id_type = IdType.RESIDENT_ID
    return subject


def _expansion_sql(model, template_table: str, *, skip_conflicts: bool) -> str:
    """INSERT … SELECT of one range of subjects × slots, each kept slot joined to its template."""
    number = "(s.id * %(stride)s + g)"
    expressions = {
        "subject_id": "s.id",
        "subject_name": "s.name",
        "subject_category": "s.category",
        "uscc": "COALESCE(s.uscc, CASE WHEN s.registration_number <> '' THEN '00000000000000000X' ELSE '' END)",
        "registration_number": "s.registration_number",
        "legal_representative": "s.legal_representative",
        "document_number": f"regexp_replace(t.document_number, '〕[0-9]+号$', '〕' || {number} || '号')",
        "licence_number": f"'XK' || to_char(t.decision_date, 'YYYYMMDD') || lpad({number}::text, 8, '0')",
    }
    for column in _NATURAL_PERSON_COLUMNS:
        expressions[column] = f"CASE WHEN s.category = 'natural_person' THEN s.{column} ELSE t.{column} END"
    columns = [field.column for field in model._meta.concrete_fields if not field.primary_key]
    select = [expressions.get(column, f"t.{column}") for column in columns]
    hashed = f"hashint8extended({number}, %(seed_pick)s)"
    kept = f"hashint8extended({number}, %(seed_keep)s)"
    return (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(select)} "
        f"FROM registry_subject s CROSS JOIN generate_series(1, %(slots)s) AS g "
        f"JOIN {template_table} t ON t.tpl_category = s.category "
        f"AND t.tpl_no = ({hashed} & 2147483647) %% %(templates)s "
        f"WHERE s.id > %(low)s AND s.id <= %(high)s AND ({kept} & 1048575) < %(keep)s"
        + (" ON CONFLICT DO NOTHING" if skip_conflicts else "")
    )


def _queue_recent_publications(*, today: datetime.date) -> int:
    """Outbox events for the records published in the last days, as if their clerks had just published them."""
    from credit_portal.exchange import outbox

    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=RECENT_UNPUSHED_DAYS), datetime.time())
    )
    queued = 0
    with transaction.atomic():
        for model in (Licensing, Penalty):
            ids = model.objects.filter(status=RecordStatus.PUBLISHED, published_at__gte=since).values_list(
                "pk", flat=True
            )
            queued += outbox.enqueue_many(model, ids, action=outbox.Action.UPSERT)
    return queued


def _insert(model, records: list) -> int:
    count = len(records)
    if records:
        with transaction.atomic():
            model.objects.bulk_create(records, batch_size=1000)
        records.clear()
    return count


class _Builder:
    def __init__(self, *, rng: random.Random, today: datetime.date, departments: list[Department]):
        self.rng = rng
        self.today = today
        self.departments = departments
        self.book = policy.PolicyBook()
        self.sequence = 0
        start = today - datetime.timedelta(days=365 * YEARS)
        self.days = [start + datetime.timedelta(days=n) for n in range((today - start).days + 1)]
        # Weekdays only: departments decide on working days.
        self.decision_days = [day for day in self.days if day.weekday() < 5]
        self.dues: dict[tuple[str, int], dict[datetime.date, workdays.Due]] = {}
        self.now = timezone.now()

    def _due(self, kind: str, department: Department, day: datetime.date) -> workdays.Due:
        days = self.book.deadline_days(
            department_id=department.pk, kind=kind, on=day, deadline=DeadlineKind.PUBLICATION
        )
        key = (kind, days)
        if key not in self.dues:
            self.dues[key] = workdays.add_working_days_many(self.decision_days, days)
        return self.dues[key][day]

    def _common(self, record, kind: str, subject: Subject) -> None:
        rng = self.rng
        department = rng.choice(self.departments)
        day = rng.choice(self.decision_days)
        due = self._due(kind, department, day)
        self.sequence += 1
        record.department = department
        record.subject = subject
        record.subject_name = subject.name
        record.subject_category = subject.category
        record.uscc = subject.uscc or ("00000000000000000X" if subject.registration_number else "")
        record.registration_number = subject.registration_number
        record.legal_representative = subject.legal_representative
        if subject.category == SubjectCategory.NATURAL_PERSON:
            record.id_type = subject.id_type
            record.id_number_encrypted = subject.id_number_encrypted  # same key: the token is copied as is
            record.id_number_masked = subject.id_number_masked
        record.authority_name = department.name
        record.authority_uscc = department.uscc
        record.decision_date = day
        record.publication_due_date = due.date
        record.is_due_date_provisional = due.provisional
        short = department.short_name or department.name
        mark = "许" if kind == RecordKind.LICENSING else "罚"
        record.document_number = f"津西{short}{mark}〔{day.year}〕{self.sequence}号"
        self._lifecycle(record, due.date)

    def _lifecycle(self, record, due: datetime.date) -> None:
        """Mostly on time, some late, some overdue, a few drafts still within their deadline."""
        rng = self.rng
        roll = rng.random()
        if due >= self.today and roll < 0.5:
            record.status, record.timeliness = RecordStatus.DRAFT, Timeliness.PENDING
            return
        if roll < 0.04:
            record.status, record.timeliness = RecordStatus.DRAFT, Timeliness.OVERDUE
            return
        published_on = record.decision_date + datetime.timedelta(days=rng.randint(0, 8))
        if roll < 0.12:  # late (迟报): published weeks after the deadline
            published_on = due + datetime.timedelta(days=rng.randint(1, 40))
        published_on = min(published_on, self.today)
        record.status = RecordStatus.PUBLISHED
        record.timeliness = Timeliness.ON_TIME if published_on <= due else Timeliness.LATE
        record.published_at = timezone.make_aware(
            datetime.datetime.combine(published_on, datetime.time(10, rng.randint(0, 59)))
        )

    def licensing(self, subject: Subject) -> Licensing:
        rng = self.rng
        document, licence, content, category, years = rng.choice(LICENCES)
        record = Licensing(decision_document_name=document, licence_category=category, content=content)
        self._common(record, RecordKind.LICENSING, subject)
        record.licence_name = licence
        record.licence_number = f"XK{record.decision_date:%Y%m%d}{self.sequence:07d}"
        record.valid_from = record.decision_date
        record.valid_to = (
            datetime.date(2099, 12, 31)
            if years == 0
            else record.decision_date.replace(day=1) + datetime.timedelta(days=365 * years)
        )
        record.publication_end_date = record.valid_to
        if record.status == RecordStatus.PUBLISHED and record.valid_to < self.today:
            record.status, record.current_state = RecordStatus.EXPIRED, LicenceState.INVALID
        return record

    def penalty(self, subject: Subject) -> Penalty:
        rng = self.rng
        violation, facts, basis, categories, severity, procedure = rng.choice(PENALTY_CASES)
        if subject.category == SubjectCategory.NATURAL_PERSON and "revoke_licence" in categories:
            categories = ["fine"]
        record = Penalty(
            violation_type=violation,
            violation_facts=facts,
            legal_basis=basis,
            penalty_categories=list(categories),
            severity=severity,
            procedure=procedure,
        )
        amount = Decimal(rng.randint(5, 5000)) / Decimal(100)  # 0.05 – 50 万元
        parts = []
        if PenaltyCategory.FINE in categories:
            record.fine_amount = amount
            parts.append(f"罚款{amount}万元")
        if {"confiscate_gains", "confiscate_property"} & set(categories):
            record.confiscated_amount = (amount / 4).quantize(Decimal("0.01"))
            parts.append("没收违法所得")
        if "revoke_licence" in categories:
            record.licence_name_and_number = f"安全生产许可证（编号AQ{rng.randint(100000, 999999)}）"
            parts.append("吊销安全生产许可证")
        if "warning" in categories:
            parts.insert(0, "警告")
        if "order_suspension" in categories:
            parts.append("责令停产整治")
        record.content = "；".join(parts) + "。"
        self._common(record, RecordKind.PENALTY, subject)
        period = self.book.penalty_period(record)
        record.is_publishable = period.is_publishable
        record.is_repairable = period.is_repairable
        if not period.is_publishable:
            record.status, record.timeliness, record.published_at = RecordStatus.DRAFT, Timeliness.NOT_REQUIRED, None
            return record
        policy.apply_period(record, book=self.book)
        if record.status == RecordStatus.PUBLISHED and record.publication_end_date < self.today:
            record.status = RecordStatus.EXPIRED
        return record
