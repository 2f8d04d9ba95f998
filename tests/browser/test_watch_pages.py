"""Watchlists in a real browser (issue 12): a staff user builds a list by hand and by file, a published penalty of a
watched subject reaches them as a portal notification and as a signed webhook to a receiver they registered, and
a failed delivery is sent again from the delivery log."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import Workbook

from django.utils import timezone

from credit_portal.opendata import services as opendata_services
from credit_portal.watch import services as watch_services
from credit_portal.watch import webhooks
from credit_portal.watch.models import WebhookDelivery, WebhookEndpoint
from disclosure import services as disclosure_services
from tests.browser.helpers import PASSWORD, log_in, submit
from tests.browser.test_home import accessibility_problems
from tests.disclosure.factories import penalty_data
from tests.registry.factories import DepartmentFactory, UserFactory
from tests.watch.conftest import receiver  # noqa: F401 - the real HTTP receiver on 127.0.0.1
from tests.watch.factories import code

pytestmark = pytest.mark.django_db(transaction=True)


def field_of(page, label: str):
    """The .field block of a labelled control: where its error must appear."""
    return page.locator(".field").filter(has=page.get_by_label(label, exact=True))


def wrong_check_character(value: str) -> str:
    return value[:17] + ("1" if value[17] != "1" else "2")


def xlsx_of(*rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_staff_user_watches_subjects_and_gets_their_changes_in_the_portal_and_by_webhook(
    page,
    settings,
    receiver,  # noqa: F811 - the fixture imported above
    screenshot,
    tmp_path,
):
    # As tests/watch does: plain http only to the test's own receiver; production settings allow no such host.
    settings.WEBHOOK_ALLOW_HTTP_HOSTS = ["127.0.0.1"]
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    publisher = UserFactory(username="clerk_pub", role="clerk", department=DepartmentFactory(name="区市场监管局"))
    UserFactory(username="watcher", role="clerk", department=DepartmentFactory(name="区金融局"), password=PASSWORD)
    log_in(page, "watcher")

    # A new list, from the staff menu.
    submit(page, page.get_by_role("link", name="关注清单").first)
    page.get_by_label("清单名称").fill("重点监管企业")
    submit(page, page.get_by_role("button", name="创建"))
    assert "/staff/watch/lists/" in page.url
    assert "已创建关注清单“重点监管企业”" in page.content()

    # One code at a time: a wrong check character is explained next to the field, in Chinese.
    box = page.get_by_label("统一社会信用代码", exact=True)
    box.fill(wrong_check_character(code(1)))
    submit(page, page.get_by_role("button", name="添加", exact=True))
    error = field_of(page, "统一社会信用代码").get_by_role("alert")
    assert "第18位校验码应为" in error.inner_text()
    assert page.get_by_label("统一社会信用代码", exact=True).get_attribute("aria-invalid") == "true"
    assert accessibility_problems(page) == []
    screenshot(page, "watch-code-error")
    page.get_by_label("统一社会信用代码", exact=True).fill(code(1).lower())  # typed in lower case: normalised
    submit(page, page.get_by_role("button", name="添加", exact=True))
    assert f"已添加 {code(1)}。" in page.content()
    page.get_by_label("统一社会信用代码", exact=True).fill(code(1))
    submit(page, page.get_by_role("button", name="添加", exact=True))
    assert "该代码已在清单中。" in field_of(page, "统一社会信用代码").inner_text()

    # A csv with a bad line: the report names the line.
    csv_file = tmp_path / "企业名单.csv"
    csv_file.write_text(f"统一社会信用代码\n{code(2)}\n91120111ABC\n{code(1)}\n", encoding="utf-8-sig")
    page.get_by_label("代码文件").set_input_files(str(csv_file))
    submit(page, page.get_by_role("button", name="上传"))
    report = page.locator("#upload-report")
    assert report.locator("dd").all_inner_texts() == ["3", "1", "1", "1"]  # read, added, repeats, invalid
    assert report.locator("tbody tr td").first.inner_text() == "3"
    assert "第3行：" in report.locator("tbody").inner_text()
    # And an xlsx (the codes without a header in the first column).
    xlsx_file = tmp_path / "补充名单.xlsx"
    xlsx_file.write_bytes(xlsx_of([code(3)], [code(4)]))
    page.get_by_label("代码文件").set_input_files(str(xlsx_file))
    submit(page, page.get_by_role("button", name="上传"))
    assert page.locator("#upload-report dd").all_inner_texts() == ["2", "2", "0", "0"]
    codes_table = page.locator("table.data").last.inner_text()
    assert all(code(n) in codes_table for n in (1, 2, 3, 4))
    submit(page, page.get_by_role("link", name="关注清单", exact=True).first)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="重点监管企业"))
    assert row.locator("td").nth(1).inner_text() == "4"

    # A receiver: refused addresses first, each with its message on the field.
    submit(page, page.get_by_role("link", name="推送地址（Webhook）"))
    address = page.get_by_label("推送地址", exact=True)
    address.fill("http://bank.example.com/hooks")
    submit(page, page.get_by_role("button", name="登记"))
    assert "推送地址必须使用 HTTPS（https://）。" in field_of(page, "推送地址").inner_text()
    page.get_by_label("推送地址", exact=True).fill("https://169.254.169.254/latest/meta-data")
    submit(page, page.get_by_role("button", name="登记"))
    assert "推送地址不能指向内部网络地址。" in field_of(page, "推送地址").inner_text()
    page.get_by_label("推送地址", exact=True).fill("https://10.1.2.3/hooks")
    submit(page, page.get_by_role("button", name="登记"))
    assert "推送地址不能指向内部网络地址。" in field_of(page, "推送地址").inner_text()
    page.get_by_label("推送地址", exact=True).fill(receiver.url)
    page.get_by_label("说明").fill("信贷审查系统")
    submit(page, page.get_by_role("button", name="登记"))
    receiver.secret = page.locator("#new-secret code").inner_text()  # the receiver is configured from the page
    assert receiver.secret.startswith("whsec_")
    page.reload()  # shown once only, and a reload registers nothing more
    assert receiver.secret not in page.content() and WebhookEndpoint.objects.count() == 1
    endpoint_url = page.url
    submit(page, page.get_by_role("link", name="推送地址（Webhook）"))
    assert page.get_by_role("link", name=receiver.url).count() == 1

    # A department publishes a penalty of a watched subject; the feed and matching jobs run.
    decided = timezone.localdate() - datetime.timedelta(days=3)
    data = penalty_data(
        number="西青市监罚〔2026〕88号",
        uscc=code(2),
        subject_name="天津关注测试有限公司",
        decision_date=decided.isoformat(),
    )
    penalty = disclosure_services.file_penalty(by=publisher, department=publisher.department, data=data)
    disclosure_services.publish_penalty(penalty=penalty, by=publisher)
    # The feed waits OPENDATA_SYNC_LAG_SECONDS for open transactions: the job runs a little later.
    assert opendata_services.sync_changes(now=timezone.now() + datetime.timedelta(minutes=5)) == 1
    assert watch_services.match_changes()["deliveries"] == 1

    page.goto("/staff/")
    assert page.locator(".topbar .badge").inner_text() == "1"
    submit(page, page.get_by_role("link", name="您关注的主体有 1 条新的公开变化。").first)
    assert page.url.endswith("/staff/watch/changes/")
    changes = page.locator("table.data tbody").inner_text()
    assert "天津关注测试有限公司" in changes and code(2) in changes and "西青市监罚〔2026〕88号" in changes

    # The receiver fails the first time: the log shows the attempt and its error.
    receiver.answers.append(500)
    assert webhooks.send_due_deliveries() == {"failed": 1}
    page.goto(endpoint_url)
    delivery = WebhookDelivery.objects.get()
    log_row = page.locator(f"#delivery-{delivery.pk}")
    assert delivery.delivery_id in log_row.inner_text()
    assert "接收方返回 HTTP 500。" in log_row.inner_text()
    # When the sender tries it again: the later of its own and the endpoint's backoff (webhooks.due_deliveries).
    delivery.endpoint.refresh_from_db()
    retry_at = timezone.localtime(max(delivery.next_attempt_at, delivery.endpoint.next_attempt_at))
    assert log_row.locator(".next-attempt").inner_text() == retry_at.strftime("%Y-%m-%d %H:%M:%S")
    assert accessibility_problems(page) == []
    screenshot(page, "watch-delivery-failed")

    # The receiver is fixed; "重新推送" sends the same delivery again at the sender's next run, backoff or not.
    submit(page, log_row.get_by_role("button", name="重新推送"))
    assert f"推送 {delivery.delivery_id} 已重新排队。" in page.content()
    assert webhooks.send_due_deliveries() == {"delivered": 1}
    page.reload()
    log_row = page.locator(f"#delivery-{delivery.pk}")
    assert "已送达" in log_row.inner_text()
    assert [item.headers[webhooks.HEADER_ID] for item in receiver.received] == [delivery.delivery_id] * 2
    assert receiver.received[-1].signature_ok
    assert receiver.received[-1].json["change"]["uscc"] == code(2)

    assert log_row.locator(".next-attempt").inner_text() == "—"

    # Deleting the endpoint asks first, showing what goes; "取消" leaves it, "确认删除" deletes it.
    submit(page, page.get_by_role("link", name="删除", exact=True))
    facts = page.locator("dl.facts").inner_text()
    assert receiver.url in facts and "待推送" in facts
    assert page.locator("#delete-pending").inner_text() == "0"
    assert accessibility_problems(page) == []
    screenshot(page, "watch-webhook-delete")
    submit(page, page.get_by_role("link", name="取消"))
    assert page.url == endpoint_url and WebhookEndpoint.objects.count() == 1
    submit(page, page.get_by_role("link", name="删除", exact=True))
    submit(page, page.get_by_role("button", name="确认删除"))
    assert "推送地址已删除。" in page.content()
    assert page.get_by_role("link", name=receiver.url).count() == 0 and not WebhookEndpoint.objects.exists()


def test_deleting_a_watchlist_asks_first_and_works_without_javascript(browser, live_server):
    owner = UserFactory(
        username="watcher_nojs", role="clerk", department=DepartmentFactory(name="区金融局"), password=PASSWORD
    )
    watchlist = watch_services.create_watchlist(owner=owner, name="待删清单")
    for n in (1, 2):
        watch_services.add_code(watchlist=watchlist, by=owner, code=code(n))
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        log_in(page, "watcher_nojs")
        page.goto(f"/staff/watch/lists/{watchlist.pk}/")
        submit(page, page.get_by_role("link", name="删除此清单"))
        assert "删除关注清单“待删清单”" in page.get_by_role("heading", level=1).inner_text()
        assert page.locator("#delete-code-count").inner_text() == "2"
        assert watch_services.Watchlist.objects.filter(pk=watchlist.pk).exists()  # asking deletes nothing
        submit(page, page.get_by_role("button", name="确认删除"))
        assert page.url.endswith("/staff/watch/")
        assert "已删除关注清单“待删清单”。" in page.content()
        assert not watch_services.Watchlist.objects.filter(pk=watchlist.pk).exists()
    finally:
        context.close()
