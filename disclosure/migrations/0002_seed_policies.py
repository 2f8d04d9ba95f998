"""Seed the deadline and publication-period policies (DOMAIN §4, §5); administrators edit them afterwards."""

import datetime

from django.db import migrations

PUBLICATION_RULES = [
    # (effective_from, basis, severity, category, procedure, special, published, shortest, longest, repairable)
    ("2019-07-01", "发改办财金〔2019〕527号", "minor", "", "", False, True, 3, 12, True),
    ("2019-07-01", "发改办财金〔2019〕527号", "general", "", "", False, True, 3, 12, True),
    ("2019-07-01", "发改办财金〔2019〕527号", "serious", "", "", False, True, 6, 36, True),
    ("2019-07-01", "发改办财金〔2019〕527号（特定严重失信情形）", "serious", "", "", True, True, 36, 36, False),
    ("2023-05-01", "国家发展改革委令2023年第58号", "minor", "", "", False, True, 3, 12, True),
    ("2023-05-01", "国家发展改革委令2023年第58号", "general", "", "", False, True, 3, 12, True),
    ("2023-05-01", "国家发展改革委令2023年第58号", "serious", "", "", False, True, 3, 36, True),
    ("2023-05-01", "国家发展改革委令2023年第58号（特种设备、安全生产、消防）", "", "", "", True, True, 12, 36, True),
    ("2026-04-01", "信用修复管理办法（简易程序警告不予公示）", "", "warning", "simple", False, False, 0, 0, True),
    ("2026-04-01", "信用修复管理办法（简易程序通报批评不予公示）", "", "public_criticism", "simple", False, False, 0, 0, True),
    ("2026-04-01", "信用修复管理办法", "minor", "", "", False, True, 3, 3, True),
    ("2026-04-01", "信用修复管理办法", "general", "", "", False, True, 3, 12, True),
    ("2026-04-01", "信用修复管理办法", "serious", "", "", False, True, 12, 36, True),
    ("2026-04-01", "信用修复管理办法", "", "suspend_licence", "", False, True, 3, 12, True),
    ("2026-04-01", "信用修复管理办法", "", "lower_qualification", "", False, True, 3, 12, True),
    ("2026-04-01", "信用修复管理办法", "", "confiscate_gains", "", False, True, 3, 12, True),
    ("2026-04-01", "信用修复管理办法", "", "confiscate_property", "", False, True, 3, 12, True),
    ("2026-04-01", "信用修复管理办法", "", "revoke_licence", "", False, True, 12, 36, True),
    ("2026-04-01", "信用修复管理办法", "", "restrict_business", "", False, True, 12, 36, True),
    ("2026-04-01", "信用修复管理办法", "", "order_suspension", "", False, True, 12, 36, True),
    ("2026-04-01", "信用修复管理办法", "", "order_closure", "", False, True, 12, 36, True),
    ("2026-04-01", "信用修复管理办法", "", "restrict_employment", "", False, True, 12, 36, True),
]

DEADLINES = [
    # (kind, deadline, working_days, notes)
    ("licensing", "publication", 7, "国办发〔2015〕51号；发改办财金〔2018〕424号"),
    ("penalty", "publication", 7, "国办发〔2015〕51号；发改办财金〔2018〕424号"),
    ("licensing", "revocation", 3, "行政处罚法第48条、第85条"),
    ("penalty", "revocation", 3, "行政处罚法第48条、第85条"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("disclosure", "PublicationPeriodRule")
    Deadline = apps.get_model("disclosure", "DeadlinePolicy")
    Rule.objects.bulk_create(
        Rule(
            effective_from=datetime.date.fromisoformat(effective),
            basis=basis,
            severity=severity,
            penalty_category=category,
            procedure=procedure,
            is_special_case=special,
            is_published=published,
            shortest_months=shortest,
            longest_months=longest,
            is_repairable=repairable,
        )
        for effective, basis, severity, category, procedure, special, published, shortest, longest, repairable in (
            PUBLICATION_RULES
        )
    )
    Deadline.objects.bulk_create(
        Deadline(
            record_kind=kind,
            deadline=deadline,
            working_days=days,
            reminder_days=2,
            effective_from=datetime.date(2015, 1, 1),
            notes=notes,
        )
        for kind, deadline, days, notes in DEADLINES
    )


def unseed(apps, schema_editor):
    apps.get_model("disclosure", "PublicationPeriodRule").objects.all().delete()
    apps.get_model("disclosure", "DeadlinePolicy").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
