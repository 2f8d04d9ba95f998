"""Managed API clients in a real browser (issue 12): a bank applies on the public page, the credit office approves
it, the key is shown once, a rotation keeps the old key working for its grace period and a suspension stops both;
every key is tried with a real HTTP call to the live server, as the bank's system would make it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from credit_portal.clients.models import ApiClient, ApiKey
from tests.browser.helpers import PASSWORD, log_in, submit
from tests.browser.test_home import accessibility_problems
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def field_of(page, label: str):
    """The .field block of a labelled control: where its error must appear."""
    return page.locator(".field").filter(has=page.get_by_label(label))


def call(live_server, path: str, key: str) -> tuple[int, dict]:
    """A GET with ``Authorization: ApiKey <key>``, over HTTP to the live server."""
    request = urllib.request.Request(f"{live_server.url}{path}", headers={"Authorization": f"ApiKey {key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.load(error)


def test_a_bank_applies_the_office_approves_rotates_and_suspends_and_the_api_follows(page, live_server, screenshot):
    UserFactory(username="reviewer_api", role="reviewer", password=PASSWORD)

    # The application, from the public footer link; an empty form names each missing field.
    page.goto("/")
    submit(page, page.get_by_role("link", name="接口接入申请"))
    submit(page, page.get_by_role("button", name="提交申请"))
    for label in ("客户端（系统）名称", "申请单位", "联系人", "联系电话", "负责人邮箱"):
        assert "该字段是必填项。" in field_of(page, label).inner_text(), label
    scopes = page.get_by_role("group", name="申请的接口范围")  # the checkboxes are one named group
    assert "该字段是必填项。" in scopes.inner_text()
    assert "该字段是必填项。" not in field_of(page, "用途说明").inner_text()
    assert page.get_by_label("联系人").get_attribute("aria-invalid") == "true"
    assert accessibility_problems(page) == []
    screenshot(page, "clients-apply-errors")

    page.get_by_label("客户端（系统）名称").fill("信易贷审查系统")
    page.get_by_label("申请单位").fill("天津测试银行西青支行")
    page.get_by_label("类别").select_option(label="金融机构（信易贷）")
    page.get_by_label("联系人").fill("李明")
    page.get_by_label("联系电话").fill("022-27390000")
    page.get_by_label("负责人邮箱").fill("not-an-address")
    page.get_by_label("信用核查").check()  # acts for a department: one must be named
    page.get_by_label("IP白名单").fill("10.1.2.0/24\n内网")
    submit(page, page.get_by_role("button", name="提交申请"))
    assert "请输入合法的邮件地址。" in field_of(page, "负责人邮箱").inner_text()
    page.get_by_label("负责人邮箱").fill("owner@bank.example.cn")
    submit(page, page.get_by_role("button", name="提交申请"))
    assert "须指定所属部门" in field_of(page, "所属部门").inner_text()
    page.get_by_label("信用核查").uncheck()
    page.get_by_label("公开数据").check()
    submit(page, page.get_by_role("button", name="提交申请"))
    assert "IP白名单第 2 行“内网”不是有效的地址或地址段" in field_of(page, "IP白名单").inner_text()
    page.get_by_label("IP白名单").fill("")
    page.get_by_label("用途说明").fill("贷前核查企业公开信用信息。")
    submit(page, page.get_by_role("button", name="提交申请"))
    client = ApiClient.objects.get()
    assert f"申请编号 {client.pk}" in page.locator("main").inner_text()
    assert client.status == "applied" and client.scopes == ["public_data"]

    # The credit office approves it from its staff page; the key is shown once.
    log_in(page, "reviewer_api")
    submit(page, page.get_by_role("link", name="API接入管理"))
    submit(page, page.get_by_role("link", name="信易贷审查系统"))
    # A refused approval shows each error next to its field, with what was typed still there.
    page.get_by_label("每日调用额度").fill("0")
    submit(page, page.get_by_role("button", name="批准并签发密钥"))
    assert "确保该值大于或等于1。" in field_of(page, "每日调用额度").inner_text()
    assert page.get_by_label("每日调用额度").input_value() == "0"
    assert page.get_by_label("每日调用额度").get_attribute("aria-invalid") == "true"
    assert accessibility_problems(page) == []
    screenshot(page, "clients-approve-errors")
    page.get_by_label("每日调用额度").fill("100")
    page.get_by_label("有效期止").fill("2020-01-01")
    submit(page, page.get_by_role("button", name="批准并签发密钥"))
    assert "有效期止不能早于今天。" in field_of(page, "有效期止").inner_text()
    assert page.get_by_label("每日调用额度").input_value() == "100"
    assert ApiClient.objects.get().status == "applied"
    page.get_by_label("有效期止").fill("")
    submit(page, page.get_by_role("button", name="批准并签发密钥"))
    first_key = page.locator("#issued-key").inner_text()
    assert first_key.startswith("cpk_")
    screenshot(page, "clients-key-issued")
    assert call(live_server, "/api/v1/clients/me/", first_key)[1]["daily_quota"] == 100

    # Never again: not on a reload of the answer, not on the client's page (only its prefix).
    page.reload()
    assert first_key not in page.content()
    page.goto(f"/staff/clients/{client.pk}/")
    assert first_key not in page.content()
    assert f"{first_key.split('_')[1]}…" in page.locator("table.data").first.inner_text()
    assert "已批准" in page.get_by_role("heading", level=1).inner_text()

    # Rotation: a new key, and the old one keeps working during the grace period.
    page.get_by_label("旧密钥宽限（小时）").fill("24")
    submit(page, page.get_by_role("button", name="签发新密钥（轮换）"))
    second_key = page.locator("#issued-key").inner_text()
    assert second_key.startswith("cpk_") and second_key != first_key
    page.reload()
    assert second_key not in page.content()
    assert ApiKey.objects.filter(client=client).count() == 2  # a reload issues no third key
    assert call(live_server, "/api/v1/clients/me/", second_key)[0] == 200
    assert call(live_server, "/api/v1/clients/me/", first_key)[0] == 200
    page.goto(f"/staff/clients/{client.pk}/")
    keys_table = page.locator("table.data").first.inner_text()
    assert second_key not in page.content() and f"{second_key.split('_')[1]}…" in keys_table

    # Suspension: both keys are refused at once, with the reason in Chinese.
    page.get_by_label("理由").fill("调用量异常，待核实。")
    submit(page, page.get_by_role("button", name="暂停使用"))
    assert "已暂停：该客户端的密钥立即停止使用。" in page.content()
    for key in (second_key, first_key):
        status, body = call(live_server, "/api/v1/public/penalties/", key)
        assert status == 403
        assert body["errors"][0]["code"] == "client_suspended"
        assert body["errors"][0]["message"] == "该API客户端已被信用办暂停使用，请联系信用办。"
    status, body = call(live_server, "/api/v1/public/penalties/", first_key[:-4] + "abcd")  # a mistyped key
    assert (status, body["errors"][0]["code"]) == (401, "invalid_api_key")
    assert "API密钥无效、已吊销或已过期" in body["errors"][0]["message"]
    assert accessibility_problems(page) == []
