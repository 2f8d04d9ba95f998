"""A demo dataset shared by the security tests, built once per session (the walk is read-only: GET and HEAD)."""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, field

import pytest

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import Model
from django.test import override_settings

from credit_portal import access
from tests.exchange.factories import OutboxEventFactory
from tests.registry.factories import UserFactory

# The pages and endpoints that are walked need one object of each of these models; department-owned ones belong to
# department A (the first department that owns a penalty).
OBJECT_MODELS = (
    "registry.Department",
    "registry.Subject",
    "disclosure.Penalty",
    "disclosure.Licensing",
    "disclosure.ImportJob",
    "sanctions.ListType",
    "sanctions.Measure",
    "sanctions.ListEntry",
    "sanctions.CreditCheck",
    "repair.Application",
    "repair.Material",
    "campaigns.Campaign",
    "campaigns.CampaignMaterial",
    "campaigns.SpecialAction",
    "campaigns.LedgerTask",
    "campaigns.RoleModel",
    "campaigns.StarMerchant",
    "campaigns.Complaint",
    "campaigns.ComplaintEvidence",
    "campaigns.CreditTalk",
    "exchange.OutboxEvent",
    "sanctions.Commitment",
    "clients.ApiClient",
)


@dataclass
class Dataset:
    department_a: Model
    department_b: Model
    actors: dict[str, object]  # actor name -> user (None for anonymous)
    objects: dict[str, Model | None] = field(default_factory=dict)  # model label -> an object of department A


def _owned_by(model, department):
    """Objects of the model that belong to the department, if the model has a department at all."""
    queryset = model._default_manager.order_by("pk")
    names = {f.name for f in model._meta.get_fields()}
    if "department" in names:
        return queryset.filter(department=department)
    for parent in ("application", "complaint", "campaign"):
        if parent in names and "department" in {
            f.name for f in model._meta.get_field(parent).related_model._meta.get_fields()
        }:
            return queryset.filter(**{f"{parent}__department": department})
    return queryset


@pytest.fixture(scope="module")
def security_dataset(django_db_setup, django_db_blocker):
    """generate_demo on a small scale, plus one clerk for each of two departments, a reviewer and an administrator.

    Built once per module inside a transaction that is rolled back afterwards, so other modules never see it.
    """
    with django_db_blocker.unblock(), tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_dataset()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _build_dataset() -> Dataset:
    from disclosure.models import Penalty
    from registry.models import Department

    call_command("generate_demo", subjects=80, seed=9, stdout=io.StringIO())
    department_a = Department.objects.get(pk=Penalty.objects.order_by("pk").values("department")[:1])
    department_b = Department.objects.exclude(pk=department_a.pk).order_by("pk").first()
    actors = {
        "anonymous": None,
        "clerk_a": UserFactory(username="sec_clerk_a", role=access.Role.CLERK, department=department_a),
        "clerk_b": UserFactory(username="sec_clerk_b", role=access.Role.CLERK, department=department_b),
        "reviewer": UserFactory(username="sec_reviewer", role=access.Role.REVIEWER),
        "administrator": UserFactory(username="sec_admin", role=access.Role.ADMIN, is_staff=True),
    }
    dataset = Dataset(department_a=department_a, department_b=department_b, actors=actors)
    _give_department_a_one_of_each(department_a)
    _add_uploads(department_a, actors["clerk_a"])
    for label in OBJECT_MODELS:
        model = apps.get_model(label)
        dataset.objects[label] = (
            _owned_by(model, department_a).first() or model._default_manager.order_by("pk").first()
        )
        public = getattr(model._default_manager.all(), "public", None)
        if public is not None:
            dataset.objects[f"{label}@public"] = public().order_by("pk").first()
    _keep_office_objects_away_from_both_clerks(dataset)
    dataset.objects.update(_add_watch(actors["clerk_a"]))
    published = Penalty.objects.public().exclude(subject__uscc=None).exclude(subject__uscc="").order_by("pk").first()
    dataset.objects["registry.Subject@uscc"] = published.subject if published else None
    return dataset


def _keep_office_objects_away_from_both_clerks(dataset: Dataset) -> None:
    """The campaign, special action and ledger task walked are neither department A's nor B's (rolled back).

    Their rows expect both clerks to get a 404; which departments the demo drew for them must not decide that.
    """
    from campaigns.models import ActionDepartment, Campaign, TaskDepartment
    from registry.models import Department

    both = [dataset.department_a.pk, dataset.department_b.pk]
    third = Department.objects.exclude(pk__in=both).order_by("pk").first()
    campaign = dataset.objects.get("campaigns.Campaign")
    if campaign is not None:
        if campaign.organiser_id in both:
            Campaign.objects.filter(pk=campaign.pk).update(organiser=third)
        campaign.participating_departments.remove(*both)
    if dataset.objects.get("campaigns.SpecialAction") is not None:
        ActionDepartment.objects.filter(
            action=dataset.objects["campaigns.SpecialAction"], department__in=both
        ).delete()
    if dataset.objects.get("campaigns.LedgerTask") is not None:
        TaskDepartment.objects.filter(task=dataset.objects["campaigns.LedgerTask"], department__in=both).delete()


def _add_watch(owner) -> dict:
    """A watchlist, a matched change, a webhook endpoint and a delivery, all clerk A's (issue 12)."""
    from django.utils import timezone

    from credit_portal.opendata.models import ChangeEvent
    from credit_portal.watch import services, webhooks
    from credit_portal.watch.models import WatchMatch, WebhookDelivery
    from registry.models import Subject

    code = Subject.objects.exclude(uscc=None).exclude(uscc="").order_by("pk").values_list("uscc", flat=True)[0]
    watchlist = services.create_watchlist(owner=owner, name="安全测试清单")
    services.add_code(watchlist=watchlist, by=owner, code=code)
    endpoint, _secret = webhooks.create_endpoint(owner=owner, url="https://hooks.example.com/credit")
    ChangeEvent.objects.create(
        source_event_id=-1, occurred_at=timezone.now(), kind="penalty", action="published", object_id=1, uscc=code
    )
    services.match_changes()
    return {
        "watch.Watchlist": watchlist,
        "watch.WatchMatch": WatchMatch.objects.filter(owner=owner).order_by("pk").first(),
        "watch.WebhookEndpoint": endpoint,
        "watch.WebhookDelivery": WebhookDelivery.objects.filter(endpoint=endpoint).order_by("pk").first(),
    }


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _add_uploads(department, clerk) -> None:
    """The demo makes no uploads: one import job, repair material, complaint evidence and campaign material."""
    from campaigns.models import Campaign, CampaignMaterial, Complaint, ComplaintEvidence
    from disclosure.models import ImportJob
    from repair.models import Application, Material

    OutboxEventFactory(department=department)
    job = ImportJob(kind="penalty", department=department, uploaded_by=clerk, original_name="penalties.csv")
    job.file.save("penalties.csv", ContentFile("行政相对人名称\n".encode()), save=False)
    job.save()
    application = _owned_by(Application, department).first() or Application.objects.order_by("pk").first()
    if application is not None:
        material = Material(
            application=application, original_name="承诺书.pdf", content_type="application/pdf", size=len(PDF)
        )
        material.file.save("承诺书.pdf", ContentFile(PDF), save=False)
        material.save()
    complaint = _owned_by(Complaint, department).first() or Complaint.objects.order_by("pk").first()
    if complaint is not None:
        evidence = ComplaintEvidence(complaint=complaint)
        evidence.file.save("evidence.pdf", ContentFile(PDF), save=False)
        evidence.save()
    campaign = Campaign.objects.public().order_by("pk").first()
    if campaign is not None:
        item = CampaignMaterial(
            campaign=campaign, title="海报", kind=CampaignMaterial._meta.get_field("kind").choices[0][0]
        )
        item.file.save("poster.pdf", ContentFile(PDF), save=False)
        item.save()


def _give_department_a_one_of_each(department) -> None:
    """Where the demo gave department A no row of a department-owned model, hand it the first one (rolled back)."""
    for label in OBJECT_MODELS:
        model = apps.get_model(label)
        if "department" not in {f.name for f in model._meta.get_fields()} or _owned_by(model, department).exists():
            continue
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            model._default_manager.filter(pk=first.pk).update(department=department)
