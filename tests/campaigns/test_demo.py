"""The campaigns demo step: it fills every part of the app and leaves consistent data."""

import datetime
import io
import random

import pytest

from campaigns import demo
from campaigns.models import (
    ActionReport,
    Campaign,
    Complaint,
    CreditTalk,
    LedgerTask,
    RoleModel,
    SpecialAction,
    StarMerchant,
)
from tests.registry.factories import SubjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_fills_each_part_and_links_every_seed_action(department_a, clerk):
    SubjectFactory.create_batch(5)
    SubjectFactory.create_batch(5, category="individual_business")
    UserFactory(username="demo_reviewer", role="reviewer")
    out = io.StringIO()
    demo.generate(rng=random.Random(1), today=datetime.date(2026, 11, 25), stdout=out, scale=100)
    assert Campaign.objects.filter(status="published").exists()
    assert all(action.assignments.exists() for action in SpecialAction.objects.all())
    assert ActionReport.objects.exists() and RoleModel.objects.exists() and StarMerchant.objects.count() == 5
    assert Complaint.objects.count() >= 30
    assert LedgerTask.objects.filter(is_long_term=False).count() == 5
    for complaint in Complaint.objects.filter(department__isnull=False):
        assert complaint.due_date is not None
    for talk in CreditTalk.objects.all():
        talk.full_clean()  # the demo rows satisfy the model's own rules
    # a second run adds nothing
    count = Campaign.objects.count()
    demo.generate(rng=random.Random(1), today=datetime.date(2026, 11, 25), stdout=out, scale=100)
    assert Campaign.objects.count() == count
