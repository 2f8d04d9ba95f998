"""Factories of the campaigns app."""

from __future__ import annotations

import datetime

import factory

from campaigns.choices import ComplaintKind, KeyDate, PublicationStatus, RoleModelKind, Venue
from campaigns.models import Campaign, Complaint, RoleModel, StarMerchant
from tests.registry.factories import DepartmentFactory


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"“诚信兴商”主题宣传活动{n}")
    theme = "诚信兴商 守信经营"
    key_date = KeyDate.HONEST_BUSINESS_MONTH
    start_date = datetime.date(2026, 9, 1)
    end_date = datetime.date(2026, 9, 30)
    organiser = factory.SubFactory(DepartmentFactory)
    venues = [Venue.ENTERPRISES, Venue.COMMUNITIES]
    channels = "宣传栏、电子屏、公众号"

    class Params:
        published = factory.Trait(status=PublicationStatus.PUBLISHED)


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    tracking_number = factory.Sequence(lambda n: f"TS20261125{n:08d}")
    kind = ComplaintKind.BUSINESS
    accused_name = "天津某某商贸有限公司"
    facts = "收取预付款后拒不提供服务。"
    contact_name = "李晓华"
    contact_phone = "13800001111"


class RoleModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleModel

    kind = RoleModelKind.ENTERPRISE
    name = factory.Sequence(lambda n: f"天津诚信示范企业{n}有限公司")
    honour = "诚信示范企业"
    awarded_on = datetime.date(2026, 3, 15)
    awarding_body = "西青区文明办"
    is_published = True


class StarMerchantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StarMerchant

    name = factory.Sequence(lambda n: f"西青诚信水产店{n}")
    stars = 5
    review_year = 2026
    awarding_body = "西青区市场监管局"
