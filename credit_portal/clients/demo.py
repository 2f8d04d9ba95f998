"""Demo data of managed API clients: a bank doing 信易贷 and a department's system, approved, with a few days of
usage (called by ``generate_demo``). Their keys are printed once, as the office's page would show them."""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.db import transaction

from credit_portal import access
from registry.models import Department, User

from . import services
from .choices import ClientKind, Scope
from .models import ApiClient, DailyUsage


def generate(*, rng: random.Random, today: datetime.date, stdout: TextIO, scale: int) -> int:
    """Two approved clients and one application waiting; skipped when demo clients exist already."""
    reviewer = User.objects.filter(groups__name=access.GROUP_NAMES[access.Role.REVIEWER]).order_by("pk").first()
    department = (
        Department.objects.filter(penalties__isnull=False).order_by("pk").first() or Department.objects.first()
    )
    if reviewer is None or department is None:
        stdout.write("clients: no reviewer or no department: skipped")
        return 0
    if ApiClient.objects.filter(owner_email__endswith="@demo.example.cn").exists():
        stdout.write("clients: demo clients exist already")
        return 0
    with transaction.atomic():
        bank = services.apply_for_client(
            name="信易贷授信审查系统",
            organisation="天津西青村镇银行股份有限公司",
            kind=ClientKind.BANK,
            contact_name="李明",
            contact_phone="022-27390000",
            owner_email="xinyidai@demo.example.cn",
            scopes=[Scope.PUBLIC_DATA, Scope.CREDIT_CHECKS, Scope.WATCHLISTS],
            department=department,
            ip_allowlist="127.0.0.1\n10.0.0.0/8",
            purpose="信易贷授信前的信用核查，关注授信客户的公示信息变化。",
        )
        system = services.apply_for_client(
            name=f"{department.short_name or department.name}行政执法系统",
            organisation=department.name,
            kind=ClientKind.DEPARTMENT_SYSTEM,
            contact_name="王芳",
            contact_phone="022-27391111",
            owner_email="system@demo.example.cn",
            scopes=[Scope.PUBLIC_DATA, Scope.FILING],
            department=department,
            purpose="行政处罚、行政许可决定作出后自动报送双公示信息。",
        )
        services.apply_for_client(
            name="企业信用信息聚合平台",
            organisation="天津某信息技术有限公司",
            kind=ClientKind.PLATFORM,
            contact_name="赵强",
            contact_phone="13800000000",
            owner_email="platform@demo.example.cn",
            scopes=[Scope.PUBLIC_DATA],
            purpose="展示公开的双公示和红黑名单信息。",
        )
        for client, quota in ((bank, 5000), (system, 20000)):
            client, key = services.approve_client(
                client=client, by=reviewer, daily_quota=quota, valid_until=today + datetime.timedelta(days=365)
            )
            stdout.write(f"clients: {client.name} approved; demo key (shown once): {key}")
            DailyUsage.objects.bulk_create(
                [
                    DailyUsage(
                        client=client,
                        day=today - datetime.timedelta(days=days),
                        calls=(calls := rng.randint(50, 800)),
                        refused=rng.randint(0, 5),
                        errors=rng.randint(0, 10),
                        rows=calls * rng.randint(1, 20),
                    )
                    for days in range(1, 15)
                ],
                ignore_conflicts=True,
            )
    return 3
