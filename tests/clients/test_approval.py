"""Application and approval of API clients (issue 12): the office decides; the key is shown once, only its hash kept."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest

from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from credit_portal import access
from credit_portal.clients.choices import ClientStatus, Scope
from credit_portal.clients.models import ApiClient, ApiKey

from .factories import applied_client, approved_client

pytestmark = pytest.mark.django_db


def _form(**extra):
    data = {
        "name": "信易贷审查系统",
        "organisation": "天津测试银行",
        "kind": "bank",
        "contact_name": "李明",
        "contact_phone": "022-27390000",
        "owner_email": "owner@bank.example.cn",
        "scopes": ["public_data"],
    }
    data.update(extra)
    return data


def test_the_public_applies_on_the_chinese_page_and_the_application_waits_for_the_office():
    response = Client().post("/clients/apply/", _form())
    assert response.status_code == 200
    assert "申请已提交" in response.content.decode()
    client = ApiClient.objects.get()
    assert (client.status, client.scopes, client.service_user) == (ClientStatus.APPLIED, ["public_data"], None)


def test_the_scope_checkboxes_are_one_group_named_by_its_legend_with_its_error_inside():
    """A <label for> of a checkbox group points at no control; a fieldset's legend names the group instead."""
    page = Client().post("/clients/apply/", _form(scopes=[])).content.decode()
    group = page[page.index("<fieldset") : page.index("</fieldset>")]
    assert "<legend>申请的接口范围" in group
    assert 'name="scopes"' in group and "该字段是必填项。" in group
    assert '<label for="">' not in page


def test_filing_without_a_department_is_refused_on_the_department_field():
    response = Client().post("/clients/apply/", _form(scopes=["filing"]))
    assert response.status_code == 400
    assert "须指定所属部门" in response.content.decode()
    assert not ApiClient.objects.exists()


def test_an_invalid_allowlist_line_is_named():
    response = Client().post("/clients/apply/", _form(ip_allowlist="10.0.0.0/8\n10.300.0.1"))
    assert response.status_code == 400
    assert "第 2 行" in response.content.decode()


def test_a_clerk_cannot_approve(clerk):
    client = applied_client()
    browser = Client()
    browser.force_login(clerk)
    assert browser.post(f"/staff/clients/{client.pk}/approve/", {}).status_code == 403
    assert ApiClient.objects.get().status == ClientStatus.APPLIED


def test_the_reviewer_approves_on_the_page_and_sees_the_key_once_while_only_its_hash_is_stored(reviewer):
    client = applied_client()
    browser = Client()
    browser.force_login(reviewer)
    response = browser.post(
        f"/staff/clients/{client.pk}/approve/", {"daily_quota": "500", "valid_until": "2030-01-01"}
    )
    assert (response.status_code, response["Location"]) == (302, f"/staff/clients/{client.pk}/")
    response = browser.get(response["Location"])
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    raw = response.context["key"]
    assert raw.startswith("cpk_") and raw in response.content.decode()
    key = ApiKey.objects.get()
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {key.prefix, key.key_hash} and key.prefix in raw
    # Not shown again: the detail page lists the prefix only.
    detail = browser.get(f"/staff/clients/{client.pk}/").content.decode()
    assert key.prefix in detail and raw not in detail
    client.refresh_from_db()
    assert (client.status, client.daily_quota, client.approved_by) == (ClientStatus.APPROVED, 500, reviewer)
    assert access.role_of(client.service_user) == access.Role.API_CLIENT
    assert not client.service_user.has_usable_password()


def test_a_client_with_the_filing_scope_gets_a_clerk_account_of_its_department(reviewer, department_a):
    client, _key = approved_client(reviewer, scopes=[Scope.FILING], department=department_a)
    user = client.service_user
    assert access.role_of(user) == access.Role.CLERK and user.department == department_a
    assert access.is_api_client(user) and not access.is_api_client(reviewer)


def test_api_approval_returns_the_key_once_and_the_detail_never_does(api_for, reviewer):
    client = applied_client()
    api = api_for(reviewer)
    response = api.post(f"/api/v1/clients/manage/{client.pk}/approve/", {"daily_quota": 100}, format="json")
    assert response.status_code == 201, response.content
    raw = response.json()["key"]
    assert response.json()["client"]["status"] == "approved"
    detail = api.get(f"/api/v1/clients/manage/{client.pk}/")
    assert raw not in detail.content.decode()
    assert detail.json()["keys"][0]["prefix"] == raw.split("_")[1]


def test_the_office_rejects_and_a_rejected_application_cannot_be_approved(api_for, reviewer):
    client = applied_client()
    api = api_for(reviewer)
    assert api.post(f"/api/v1/clients/manage/{client.pk}/reject/", {"reason": "用途不明"}).status_code == 200
    response = api.post(f"/api/v1/clients/manage/{client.pk}/approve/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "transition_not_allowed"


def test_public_api_application(api_client, department_a):
    response = api_client.post(
        "/api/v1/clients/applications/",
        {**_form(scopes=["credit_checks"]), "department": department_a.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert ApiClient.objects.get(pk=response.json()["id"]).department == department_a


def test_the_owner_is_mailed_each_decision_but_never_the_key(reviewer, django_capture_on_commit_callbacks):
    from django.core import mail

    from credit_portal.clients import services

    with django_capture_on_commit_callbacks(execute=True):
        client, key = approved_client(reviewer, daily_quota=500)
    [approval] = mail.outbox
    assert approval.to == ["owner@bank.example.cn"]
    assert "已批准" in approval.subject and "每日调用上限 500 次" in approval.body
    assert key not in approval.body and key[:8] not in approval.body  # the key goes by another channel
    with django_capture_on_commit_callbacks(execute=True):
        services.suspend_client(client=client, by=reviewer, reason="调用异常，暂停核查")
    assert "已暂停" in mail.outbox[1].subject and "调用异常，暂停核查" in mail.outbox[1].body
    with django_capture_on_commit_callbacks(execute=True):
        rejected = services.reject_client(client=applied_client(name="另一系统"), by=reviewer, reason="用途不明")
    assert rejected.status == ClientStatus.REJECTED
    assert "用途不明" in mail.outbox[2].body and "另一系统" in mail.outbox[2].subject


def _field_block(page: str, name: str) -> str:
    """The .field block of the approve form's field ``name``: its label, input, help text and errors."""
    return re.search(rf'<div class="field">\s*<label for="id_{name}">.*?</div>', page, re.S).group(0)


def _approve_on_the_page(reviewer, client, data):
    browser = Client()
    browser.force_login(reviewer)
    return browser.post(f"/staff/clients/{client.pk}/approve/", data)


def test_errors_of_the_approve_form_appear_next_to_their_fields_with_the_values_as_entered(reviewer):
    client = applied_client()
    response = _approve_on_the_page(
        reviewer, client, {"daily_quota": "0", "valid_from": "2030-02-30", "note": "额度待定"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "确保该值大于或等于1" in _field_block(page, "daily_quota")
    assert 'value="0"' in _field_block(page, "daily_quota") and 'aria-invalid="true"' in _field_block(
        page, "daily_quota"
    )
    assert "输入一个有效的日期" in _field_block(page, "valid_from") and 'value="2030-02-30"' in page
    assert "额度待定" in _field_block(page, "note")
    assert "请检查填写的内容" not in page  # no page message instead
    client.refresh_from_db()
    assert client.status == ClientStatus.APPLIED and not ApiKey.objects.exists()


def test_the_services_refusals_of_an_approval_appear_next_to_the_validity_fields(reviewer):
    client = applied_client()
    today = timezone.localdate()
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    page = _approve_on_the_page(reviewer, client, {"daily_quota": "500", "valid_until": yesterday}).content.decode()
    assert "有效期止不能早于今天。" in _field_block(page, "valid_until")
    assert 'value="500"' in _field_block(page, "daily_quota") and f'value="{yesterday}"' in page
    # The table constraint of the window names no field; it is shown on 有效期止, the field to change.
    data = {"valid_from": (today + datetime.timedelta(days=30)).isoformat(), "valid_until": today.isoformat()}
    response = _approve_on_the_page(reviewer, client, data)
    assert response.status_code == 400
    assert "有效期止不能早于有效期起。" in _field_block(response.content.decode(), "valid_until")
    assert ApiClient.objects.get().status == ClientStatus.APPLIED


def test_a_refusal_about_terms_the_approve_form_lacks_is_shown_on_the_form_naming_the_term(reviewer, department_a):
    client = applied_client(scopes=[Scope.FILING], department=department_a)
    # Terms changed outside the application's checks (the admin, old data): the approval checks them again.
    ApiClient.objects.filter(pk=client.pk).update(department=None)
    page = _approve_on_the_page(reviewer, client, {"daily_quota": "500"}).content.decode()
    form = re.search(r'<form [^>]*id="approve-form".*?</form>', page, re.S).group(0)
    assert "须指定所属部门" in re.search(
        r'<div class="message message-error" role="alert">.*?</div>', form, re.S
    ).group(0)
    ApiClient.objects.filter(pk=client.pk).update(department=department_a, scopes=[])
    page = _approve_on_the_page(reviewer, client, {"daily_quota": "500"}).content.decode()
    assert "接口范围：" in re.search(r'<form [^>]*id="approve-form".*?</form>', page, re.S).group(0)
    assert ApiClient.objects.get().status == ClientStatus.APPLIED and not ApiKey.objects.exists()


def test_a_refused_reason_form_is_summed_up_with_the_readers_punctuation(reviewer):
    client = applied_client()
    browser = Client()
    browser.force_login(reviewer)
    page = browser.post(f"/staff/clients/{client.pk}/reject/", {"reason": ""}, follow=True).content.decode()
    assert "请检查填写的内容：理由：" in page
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # The request activates English in this thread; the tests after this one must not inherit it.
    with translation.override(settings.LANGUAGE_CODE):
        page = browser.post(f"/staff/clients/{client.pk}/reject/", {"reason": ""}, follow=True).content.decode()
    assert "Please check what you entered: Reason: " in page
    client.refresh_from_db()
    assert client.status == ClientStatus.APPLIED
