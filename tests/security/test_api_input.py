"""Input that can never be valid is a 400 with the standard error body, not a 500 (issue 9 §7; the cases
schemathesis found)."""

from __future__ import annotations

import pytest

from credit_portal.api.filters import MAX_INTEGER

pytestmark = pytest.mark.django_db


def _error_codes(response) -> list[str]:
    return [error["code"] for error in response.json()["errors"]]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/public/repair-applications/",
        "/api/v1/public/repair-applications/supplement/",
        "/api/v1/public/complaints/",
    ],
)
@pytest.mark.parametrize("body", ["[null, null]", "null", '"text"', "42"])
def test_a_json_body_that_is_not_an_object_is_a_400_on_public_endpoints(api_client, path, body):
    response = api_client.post(path, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert _error_codes(response) == ["not_an_object"]


def test_a_json_body_that_is_not_an_object_is_a_400_on_staff_endpoints(clerk, api_for):
    response = api_for(clerk).post("/api/v1/campaigns/campaigns/", "[1, 2]", content_type="application/json")
    assert response.status_code == 400
    assert _error_codes(response) == ["not_an_object"]


@pytest.mark.parametrize("year", ["0", "0.0", "10000", "-1", "2024.5"])
@pytest.mark.parametrize("path", ["/api/v1/public/campaigns/", "/api/v1/campaigns/campaigns/"])
def test_an_impossible_year_is_a_400(reviewer, api_for, path, year):
    response = api_for(reviewer).get(path, {"year": year})
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == "year"


def test_a_possible_year_filters(reviewer, api_for):
    assert api_for(reviewer).get("/api/v1/public/campaigns/", {"year": "2026"}).status_code == 200


@pytest.mark.parametrize("value", [str(MAX_INTEGER + 1), "5284574325407108515448104157184", str(-MAX_INTEGER - 2)])
def test_an_id_beyond_64_bits_is_a_400(reviewer, api_for, value):
    response = api_for(reviewer).get("/api/v1/campaigns/tasks/", {"department": value})
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == "department"


def test_the_projects_filter_backend_bounds_any_number_filter_without_bounds_of_its_own():
    import django_filters

    from campaigns.models import Campaign
    from credit_portal.api.filters import bound_errors

    class Unbounded(django_filters.FilterSet):
        pk = django_filters.NumberFilter()
        year = django_filters.NumberFilter(field_name="start_date", lookup_expr="year")

        class Meta:
            model = Campaign
            fields = ["pk", "year"]

    def errors(**params) -> set[str]:
        filterset = Unbounded(params, queryset=Campaign.objects.all())
        assert filterset.is_valid()
        return set(bound_errors(filterset))

    assert errors(pk=str(10**30), year="0") == {"pk", "year"}
    assert errors(pk="12", year="2026") == set()
    assert list(Unbounded({"pk": str(MAX_INTEGER)}, queryset=Campaign.objects.all()).qs) == []  # the edge is fine


def test_the_campaigns_page_with_an_impossible_year_is_not_an_error(client):
    assert client.get("/campaigns/", {"year": "0"}).status_code == 200


def test_the_compliance_answer_and_its_schema_agree(reviewer, api_for):
    schema = api_for(reviewer).get("/api/schema/", {"format": "json"}).json()
    answer = schema["paths"]["/api/v1/disclosure/compliance/"]["get"]["responses"]["200"]["content"]
    reference = answer["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert schema["components"]["schemas"][reference]["properties"]["results"]["type"] == "array"
    assert "results" in api_for(reviewer).get("/api/v1/disclosure/compliance/").json()
