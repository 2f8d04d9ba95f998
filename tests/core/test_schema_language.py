"""The OpenAPI schema in the reader's language (issue 12): every help text, summary and description is lazily
translated, so drf-spectacular renders it in the language active while the schema is generated.

The schema view takes ``?lang=en`` (drf-spectacular's own parameter) and otherwise follows the portal's language
cookie, like every page (the browser's Accept-Language is ignored: credit_portal.middleware). Values the API accepts
verbatim, such as the standard's Chinese labels, are written as code (`法人及非法人组织`) and may stay Chinese.
"""

import re

import pytest

from django.conf import settings

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
CODE = re.compile(r"`[^`]*`")
TEXT_KEYS = {"title", "description", "summary"}


def _texts(node, path=""):
    """(path, text) of every title, description and summary in the schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TEXT_KEYS and isinstance(value, str):
                yield f"{path}/{key}", value
            else:
                yield from _texts(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, f"{path}/{index}")


def _chinese_outside_code(schema) -> list[str]:
    return [f"{path}: {text[:80]}" for path, text in _texts(schema) if CJK.search(CODE.sub("", text))]


HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def _english_only_operations(schema) -> list[str]:
    """Operations whose description (required) or summary (when present) has no Chinese outside code."""
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            texts = [operation.get("description", "")] + ([operation["summary"]] if operation.get("summary") else [])
            if not all(CJK.search(CODE.sub("", text)) for text in texts):
                found.append(f"{method.upper()} {path}: {texts[0][:60]}")
    return found


def _schema(client, **params):
    response = client.get("/api/schema/", {"format": "json", **params})
    assert response.status_code == 200
    return response.json()


def test_the_check_sees_chinese_in_text_but_not_in_literal_values():
    schema = {"paths": {"/x": {"get": {"summary": "期限计算", "description": "e.g. `法人及非法人组织`"}}}}
    assert _chinese_outside_code(schema) == ["/paths//x/get/summary: 期限计算"]


def test_the_english_schema_has_no_chinese_text(client):
    assert _chinese_outside_code(_schema(client, lang="en")) == []


def test_the_schema_follows_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    schema = _schema(client)
    assert schema["paths"]["/api/v1/calendar/due-date"]["get"]["summary"] == "Due date (working days)"
    matter = schema["components"]["schemas"]["CreditCheckRequestRequest"]["properties"]["matter"]
    assert matter["description"] == "Business matter code or Chinese name, e.g. `government_procurement` or `政府采购`"


def test_the_chinese_schema_is_chinese(client):
    schema = _schema(client)
    assert schema["paths"]["/api/v1/calendar/due-date"]["get"]["summary"] == "期限计算（工作日）"
    publish = schema["paths"]["/api/v1/disclosure/penalties/{id}/publish/"]["post"]
    assert publish["summary"] == "公示记录（写入上报队列）"
    matter = schema["components"]["schemas"]["CreditCheckRequestRequest"]["properties"]["matter"]
    assert matter["description"].startswith("业务事项代码或中文名称")


def test_the_operation_check_sees_english_descriptions_and_missing_ones():
    schema = {
        "paths": {
            "/a": {"get": {"description": "按名称查询"}, "parameters": []},
            "/b": {"get": {"description": "Search by name (`q`)"}, "post": {"summary": "登记"}},
            "/c": {"post": {"summary": "Register", "description": "登记主体"}},
        }
    }
    assert _english_only_operations(schema) == [
        "GET /b: Search by name (`q`)",
        "POST /b: ",
        "POST /c: 登记主体",
    ]


def test_every_operation_of_the_chinese_schema_is_described_in_chinese(client):
    schema = _schema(client)
    operations = [method for item in schema["paths"].values() for method in item if method in HTTP_METHODS]
    assert len(operations) > 150  # the whole API, not an empty schema
    assert _english_only_operations(schema) == []
