"""Seed the 20 special actions of seed 001, the 25 ledger tasks of seed 004 and the complaint handling time.

Departments that already exist are linked by name here; ``manage.py link_campaign_departments`` (and the demo)
links the rest once the departments are created.
"""

import datetime

from django.db import migrations


def seed(apps, schema_editor):
    from campaigns import seeds

    SpecialAction = apps.get_model("campaigns", "SpecialAction")
    LedgerTask = apps.get_model("campaigns", "LedgerTask")
    ComplaintPolicy = apps.get_model("campaigns", "ComplaintPolicy")
    Department = apps.get_model("registry", "Department")
    ActionDepartment = apps.get_model("campaigns", "ActionDepartment")
    TaskDepartment = apps.get_model("campaigns", "TaskDepartment")

    for number, title, lead, participating in seeds.SPECIAL_ACTIONS:
        SpecialAction.objects.update_or_create(
            number=number,
            defaults={
                "title": title,
                "lead_names": lead,
                "participant_names": participating,
                "start_date": datetime.date(2018, 10, 23),
            },
        )
    for number, section, description, responsible, lead, participating in seeds.LEDGER_TASKS:
        LedgerTask.objects.update_or_create(
            number=number,
            defaults={
                "section": section,
                "description": description,
                "responsible_text": responsible,
                "lead_names": lead,
                "participant_names": participating,
                "is_long_term": True,
                "deadline_date": None,
            },
        )
    ComplaintPolicy.objects.get_or_create(
        effective_from=datetime.date(2018, 1, 1),
        defaults={"handling_working_days": 15, "note": "默认值，信用办可按本地规定修改"},
    )

    by_name = {seeds.canonical_department_name(d.name): d.pk for d in Department.objects.all()}
    by_name.update({seeds.canonical_department_name(d.short_name): d.pk for d in Department.objects.exclude(short_name="")})
    for action in SpecialAction.objects.all():
        for role, names in (("lead", action.lead_names), ("participant", action.participant_names)):
            for name in names:
                pk = by_name.get(seeds.canonical_department_name(name))
                if pk:
                    ActionDepartment.objects.get_or_create(action=action, department_id=pk, defaults={"role": role})
    for task in LedgerTask.objects.all():
        for role, names in (("lead", task.lead_names), ("participant", task.participant_names)):
            for name in names:
                pk = by_name.get(seeds.canonical_department_name(name))
                if pk:
                    TaskDepartment.objects.get_or_create(task=task, department_id=pk, defaults={"role": role})


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial"), ("registry", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
