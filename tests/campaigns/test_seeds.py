"""The seeded special actions (seed 001) and ledger tasks (seed 004) and their departments."""

import pytest

from campaigns import services
from campaigns.choices import DepartmentRole
from campaigns.models import ActionDepartment, ComplaintPolicy, LedgerTask, SpecialAction, TaskDepartment
from registry.models import Department

pytestmark = pytest.mark.django_db


def test_the_twenty_special_actions_of_the_xiqing_plan_are_seeded():
    actions = list(SpecialAction.objects.order_by("number"))
    assert [a.number for a in actions] == list(range(1, 21))
    assert actions[0].title == "电信网络诈骗专项治理"
    assert actions[0].lead_names == ["区发展改革委", "公安西青分局"]
    assert actions[19].participant_names == ["区运管局", "区综合执法局"]


def test_the_twenty_five_ledger_tasks_are_seeded_as_long_term():
    tasks = list(LedgerTask.objects.order_by("number"))
    assert [t.number for t in tasks] == list(range(1, 26))
    assert tasks[0].responsible_text == "区委组织部负责"
    assert all(t.is_long_term and t.deadline_date is None for t in tasks)
    assert tasks[18].lead_names == ["区商务委", "区合作交流办"]


def test_a_default_complaint_handling_time_is_seeded_as_data():
    assert ComplaintPolicy.objects.get().handling_working_days == 15


def test_linking_by_name_attaches_existing_departments_with_their_roles(department_a, department_b):
    # department_a is 区市场监管局 (lead of action 7), department_b is 区税务局 (lead of action 10, joins 16)
    services.link_seed_departments()
    assert ActionDepartment.objects.get(action__number=7, department=department_a).role == DepartmentRole.LEAD
    assert ActionDepartment.objects.get(action__number=16, department=department_b).role == DepartmentRole.PARTICIPANT
    assert set(department_a.special_actions.values_list("number", flat=True)) == {2, 6, 7, 9, 17, 18}


def test_creating_missing_departments_links_every_action_and_task_and_runs_twice_safely():
    services.link_seed_departments(create_missing=True)
    first = (ActionDepartment.objects.count(), TaskDepartment.objects.count(), Department.objects.count())
    services.link_seed_departments(create_missing=True)
    assert (ActionDepartment.objects.count(), TaskDepartment.objects.count(), Department.objects.count()) == first
    for action in SpecialAction.objects.all():
        assert action.assignments.count() == len(action.lead_names) + len(action.participant_names)
    assert all(task.assignments.exists() for task in LedgerTask.objects.all())
    # seed 004's "区发改委" is the same unit as seed 001's "区发展改革委"
    assert LedgerTask.objects.get(number=2).departments.get().name == "区发展改革委"
    for department in Department.objects.all():
        department.full_clean()  # generated codes pass the USCC check


def test_a_flushed_database_gets_the_actions_tasks_and_handling_time_back():
    """Transactional tests and ``manage.py flush`` empty the tables the migration seeded (credit_portal.seeding)."""
    from credit_portal.seeding import reseed_reference_data

    ComplaintPolicy.objects.all().delete()
    ActionDepartment.objects.all().delete()
    SpecialAction.objects.all().delete()
    TaskDepartment.objects.all().delete()
    LedgerTask.objects.all().delete()
    assert "campaigns" in reseed_reference_data()
    assert SpecialAction.objects.count() == 20 and LedgerTask.objects.count() == 25
    assert ComplaintPolicy.objects.get().handling_working_days == 15
