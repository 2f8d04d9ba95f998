"""Demo data of the registry: the district's departments, one account per role, subjects of every category.

Called first by ``manage.py generate_demo``. Subjects go in with ``bulk_create`` in batches (no history rows:
history starts with the first change), with codes and names derived from a running number so that they are
unique without lookups; 1,000,000 subjects take a few minutes (Fernet encryption of an ID number costs ~10 µs).
"""

from __future__ import annotations

import datetime
import itertools
import random
import time
from collections.abc import Iterator
from typing import TextIO

from stdnum.cn import ric

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction

from credit_portal import access, bulkload, crypto, masking

from . import codes
from .choices import DepartmentKind, IdType, SubjectCategory
from .models import Department, Subject, User

DEMO_PASSWORD = "Demo-2026-pass"
REGION = "120111"  # 天津市西青区
NEIGHBOUR_REGIONS = ("120110", "120104", "120116")  # 东丽区, 南开区, 滨海新区

# (name, short name, login suffix, kind): the departments named in the district plans of seeds/.
DEPARTMENTS: tuple[tuple[str, str, str, str], ...] = (
    ("区市场监管局", "市场监管局", "scjg", DepartmentKind.AGENCY),
    ("区税务局", "税务局", "sw", DepartmentKind.AGENCY),
    ("区生态环境局", "生态环境局", "sthj", DepartmentKind.AGENCY),
    ("区人力社保局", "人力社保局", "rlsb", DepartmentKind.AGENCY),
    ("区交通运输局", "交通运输局", "jtys", DepartmentKind.AGENCY),
    ("区卫生健康委", "卫生健康委", "wsjk", DepartmentKind.AGENCY),
    ("区教育局", "教育局", "jy", DepartmentKind.AGENCY),
    ("区发展改革委", "发展改革委", "fgw", DepartmentKind.CREDIT_OFFICE),
    ("区应急管理局", "应急管理局", "yjgl", DepartmentKind.AGENCY),
    ("区住房建设委", "住房建设委", "zfjs", DepartmentKind.AGENCY),
    ("区城市管理委", "城市管理委", "csgl", DepartmentKind.AGENCY),
    ("区文化旅游局", "文化旅游局", "whly", DepartmentKind.AGENCY),
    ("区商务局", "商务局", "swj", DepartmentKind.AGENCY),
    ("区农业农村委", "农业农村委", "nync", DepartmentKind.AGENCY),
)
CREDIT_OFFICE = "区发展改革委"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰建华国庆志红玉文海燕春梅永林晓东辉鹏飞宇浩然欣怡子涵雨萱"
# Two brand characters × industries × forms give 1.7 million distinct names, taken in order (no duplicates,
# which the 重错码率 report would count as wrong codes).
BRAND = "".join(
    dict.fromkeys(
        "鑫瑞华盛泰恒嘉和信达宏远隆兴源顺昌永佳宇博诚德利安康丰创美新天伟辉金海正通联合中万益祥富荣宝晨明光"
        "锦润圣骏凯腾飞鸿运耀星辰逸升誉卓越精睿智景亿汇成众策晟铭浩聚力航同心祺乐健民惠尚品雅"
    )
)
INDUSTRIES = (
    "科技",
    "商贸",
    "建筑工程",
    "物流",
    "餐饮管理",
    "机械制造",
    "电子",
    "食品",
    "医药",
    "环保科技",
    "装饰工程",
    "汽车服务",
    "农业发展",
    "印刷",
    "服装",
    "化工",
    "文化传媒",
    "教育咨询",
    "物业管理",
    "信息技术",
    "新材料",
    "五金",
    "家具",
    "包装制品",
    "能源",
    "生物科技",
    "供应链管理",
    "劳务服务",
    "园林绿化",
    "再生资源",
)
FORMS = ("有限公司", "有限责任公司", "股份有限公司", "科技有限公司")
SHOPS = ("小吃店", "便利店", "五金店", "理发店", "水果店", "烧饼铺", "超市", "服装店", "维修部", "早点铺", "花店")
# Organisations registered by authorities other than market regulation: (pos 1-2, name pattern, category).
OTHER_AUTHORITIES: tuple[tuple[str, str], ...] = (
    ("12", "天津市西青区%(brand)s小学"),
    ("11", "西青区%(brand)s街道办事处"),
    ("31", "天津%(brand)s律师事务所"),
    ("51", "西青区%(brand)s商会"),
    ("52", "西青区%(brand)s养老服务中心"),
    ("53", "天津市%(brand)s公益基金会"),
    ("71", "%(brand)s寺"),
    ("81", "天津%(brand)s有限公司工会委员会"),
    ("N2", "西青区%(brand)s村股份经济合作社"),
    ("N3", "西青区%(brand)s镇集体资产经营公司"),
    ("Y1", "西青区%(brand)s社区服务站"),
    ("A1", "某部%(brand)s服务中心"),
)
BATCH_SIZE = 5000
TRANSACTION_SIZE = 100_000
COPY_THRESHOLD = 20_000  # PostgreSQL: from this many subjects on, COPY with the indexes built after the load


def generate(*, subjects: int, rng: random.Random, stdout: TextIO) -> None:
    """Departments, demo accounts (password Demo-2026-pass) and ``subjects`` subjects of every category."""
    departments = ensure_departments()
    stdout.write(f"  {len(departments)} departments\n")
    accounts = ensure_accounts(departments)
    stdout.write(f"  accounts: {', '.join(accounts)} (password {DEMO_PASSWORD})\n")
    created = create_subjects(count=subjects, rng=rng, departments=departments, stdout=stdout)
    stdout.write(f"  {created} subjects\n")


def department_code(index: int) -> str:
    """A 机构编制/机关 code (pos 1-2 = 11) of 西青区 with a valid check character."""
    first_17 = f"11{REGION}{'MB'}{index + 1:07d}"
    return first_17 + codes.check_digit(first_17)


@transaction.atomic
def ensure_departments() -> list[Department]:
    """The seeds' departments, created once (found again by name)."""
    departments = []
    for index, (name, short_name, _login, kind) in enumerate(DEPARTMENTS):
        department, _created = Department.objects.get_or_create(
            name=name,
            defaults={"short_name": short_name, "uscc": department_code(index), "region_code": REGION, "kind": kind},
        )
        departments.append(department)
    return departments


@transaction.atomic
def ensure_accounts(departments: list[Department]) -> list[str]:
    """admin, reviewer and clerk_<department> accounts, with one password hash computed once."""
    access.ensure_role_groups()
    password = make_password(DEMO_PASSWORD)
    groups = {role: Group.objects.get(name=name) for role, name in access.GROUP_NAMES.items()}
    by_name = {department.name: department for department in departments}
    wanted = [
        ("admin", access.Role.ADMIN, None, {"is_staff": True, "is_superuser": True, "last_name": "平台管理员"}),
        ("reviewer", access.Role.REVIEWER, by_name.get(CREDIT_OFFICE), {"last_name": "信用办审核员"}),
    ]
    for name, _short, login, _kind in DEPARTMENTS:
        wanted.append((f"clerk_{login}", access.Role.CLERK, by_name[name], {"last_name": f"{name}填报员"}))
    for username, role, department, extra in wanted:
        user, created = User.objects.get_or_create(
            username=username, defaults={"password": password, "department": department, **extra}
        )
        if created:
            user.groups.add(groups[role])
    return [username for username, *_rest in wanted]


def _brand(index: int) -> str:
    size = len(BRAND)
    return BRAND[index % size] + BRAND[(index // size) % size]


def _long_brand(index: int) -> str:
    """Four characters, distinct for the first len(BRAND)**4 numbers."""
    return _brand(index) + _brand(index // len(BRAND) ** 2)


PREFIXES = ("天津", "天津市西青区", "天津西青", "西青区")


def _company_name(index: int) -> str:
    size = len(BRAND) ** 2
    industry = INDUSTRIES[(index // size) % len(INDUSTRIES)]
    form = FORMS[(index // (size * len(INDUSTRIES))) % len(FORMS)]
    prefix = PREFIXES[(index // (size * len(INDUSTRIES) * len(FORMS))) % len(PREFIXES)]
    return f"{prefix}{_brand(index)}{industry}{form}"


def _person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _base31(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, remainder = divmod(number, 31)
        digits.append(codes.ALPHABET[remainder])
    return "".join(reversed(digits))


def _uscc(prefix: str, region: str, serial: int) -> str:
    # Multiplying by a number prime to 31 permutes 0..31**9-1: distinct serials keep distinct codes.
    first_17 = f"{prefix}{region}{_base31(serial * 1_000_000_007 % 31**9, 9)}"
    return first_17 + codes.check_digit(first_17)


def _resident_id(serial: int, rng: random.Random) -> str:
    # Birth dates 1950-2005 and sequence numbers from the running number: unique, and valid per GB 11643.
    day = datetime.date(1950, 1, 1) + datetime.timedelta(days=serial % 20089)
    first_17 = f"{rng.choice((REGION, REGION, '120110', '120104'))}{day:%Y%m%d}{(serial // 20089) % 1000:03d}"
    return first_17 + ric.calc_check_digit(first_17 + "0")


def _subjects(*, count: int, start: int, rng: random.Random, departments: list[Department]) -> Iterator[Subject]:
    """``count`` unsaved subjects: about 55% companies, 10% other authorities, 20% businesses, 15% persons."""
    for fields in _subject_rows(count=count, start=start, rng=rng, departments=departments):
        yield Subject(**fields)


def _subject_rows(*, count: int, start: int, rng: random.Random, departments: list[Department]) -> Iterator[dict]:
    """The field values of ``_subjects`` (attnames), for COPY without building model instances."""
    filers = [
        department for department in departments for _ in range(5 if department.short_name == "市场监管局" else 1)
    ]
    for offset in range(count):
        serial = start + offset
        department = rng.choice(filers)
        region = REGION if rng.random() < 0.85 else rng.choice(NEIGHBOUR_REGIONS)
        roll = rng.random()
        if roll < 0.55:
            prefix = "93" if rng.random() < 0.02 else "91"
            name = _company_name(serial)
            if prefix == "93":
                name = f"西青区{_long_brand(serial)}{INDUSTRIES[serial % len(INDUSTRIES)]}农民专业合作社"
            yield dict(
                category=SubjectCategory.LEGAL_ENTITY,
                name=name,
                uscc=_uscc(prefix, region, serial),
                legal_representative=_person_name(rng),
                region_code=region,
                created_by_department_id=department.pk,
            )
        elif roll < 0.65:
            prefix, pattern = OTHER_AUTHORITIES[serial % len(OTHER_AUTHORITIES)]
            yield dict(
                category=SubjectCategory.LEGAL_ENTITY,
                name=pattern % {"brand": _long_brand(serial)},
                uscc=_uscc(prefix, region, serial),
                legal_representative=_person_name(rng),
                region_code=region,
                created_by_department_id=department.pk,
            )
        elif roll < 0.85:
            owner = _person_name(rng)
            name = f"西青区{_long_brand(serial)}{SHOPS[serial % len(SHOPS)]}"
            if rng.random() < 0.05:  # DOMAIN §2: a business without a code, filed with its 工商注册号
                yield dict(
                    category=SubjectCategory.INDIVIDUAL_BUSINESS,
                    name=name,
                    uscc=None,
                    registration_number=f"{region}6{serial:08d}",
                    legal_representative=owner,
                    region_code=region,
                    created_by_department_id=department.pk,
                )
            else:
                yield dict(
                    category=SubjectCategory.INDIVIDUAL_BUSINESS,
                    name=name,
                    uscc=_uscc("92", region, serial),
                    legal_representative=owner,
                    region_code=region,
                    created_by_department_id=department.pk,
                )
        else:
            number = _resident_id(serial, rng)
            yield dict(
                category=SubjectCategory.NATURAL_PERSON,
                name=_person_name(rng),
                id_type=IdType.RESIDENT_ID,
                id_number_encrypted=crypto.encrypt(number),
                id_number_hash=crypto.keyed_hash(number),
                id_number_masked=masking.mask_id_number(number),
                region_code=number[:6],
                created_by_department_id=department.pk,
            )


def create_subjects(*, count: int, rng: random.Random, departments: list[Department], stdout: TextIO) -> int:
    """Insert ``count`` subjects in batches; codes continue after the existing rows, so reruns add new ones."""
    start = Subject.objects.count() + 1
    started = time.monotonic()
    if bulkload.is_postgresql() and count >= COPY_THRESHOLD:
        rows = _subject_rows(count=count, start=start, rng=rng, departments=departments)
        return _copy_subjects(rows, count=count, empty=start == 1, started=started, stdout=stdout)
    subjects = _subjects(count=count, start=start, rng=rng, departments=departments)
    done = 0
    while done < count:
        # One transaction per TRANSACTION_SIZE rows: the randomly ordered index pages are written back once per
        # commit, so fewer, larger commits write far less (SQLite's WAL in particular).
        with transaction.atomic():
            _tune_connection()
            for _ in range(TRANSACTION_SIZE // BATCH_SIZE):
                batch = list(itertools.islice(subjects, BATCH_SIZE))
                if not batch:
                    break
                # A rerun with another seed may meet an existing ID number: skip it rather than fail the demo.
                Subject.objects.bulk_create(batch, batch_size=BATCH_SIZE, ignore_conflicts=True)
                done += len(batch)
        stdout.write(f"  {done} subjects ({time.monotonic() - started:.0f} s)\n")
        if len(batch) < BATCH_SIZE:
            break
    return done


def _copy_subjects(rows: Iterator[dict], *, count: int, empty: bool, started: float, stdout: TextIO) -> int:
    """PostgreSQL: COPY in one transaction, secondary indexes and foreign keys built once at the end.

    Into an empty table the rows go straight in, the unique indexes built after them too (codes and ID numbers
    are distinct by construction: a duplicate would fail the whole load); otherwise through a temporary table
    and ``INSERT … ON CONFLICT DO NOTHING``, as ``ignore_conflicts`` does, with the unique indexes in place.
    """
    table = Subject._meta.db_table
    done = 0
    with bulkload.deferred_indexes(table, stdout=stdout, unique=empty):
        target = table
        if not empty:
            target = "demo_subject_stage"
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{target}")
                cursor.execute(f"CREATE TEMP TABLE {target} ON COMMIT DROP AS SELECT * FROM {table} WITH NO DATA")
        while done < count:
            copied = bulkload.copy_dicts(
                Subject, itertools.islice(rows, min(TRANSACTION_SIZE, count - done)), table=target
            )
            if not copied:
                break
            done += copied
            stdout.write(f"  {done} subjects copied ({time.monotonic() - started:.0f} s)\n")
        if not empty:
            columns = ", ".join(f.column for f in Subject._meta.concrete_fields if not f.primary_key)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {target} ON CONFLICT DO NOTHING"
                )
                done = cursor.rowcount
    return done


def _tune_connection() -> None:
    if connection.vendor == "sqlite":
        # A large page cache keeps the index pages in memory between the batches of one transaction.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
