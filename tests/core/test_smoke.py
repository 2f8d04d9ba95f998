import pytest

pytestmark = pytest.mark.django_db


def test_home_page_renders_in_chinese(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "信用信息平台" in response.content.decode()


def test_openapi_schema_is_served(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi: 3" in response.content
