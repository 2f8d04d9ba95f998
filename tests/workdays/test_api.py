"""The public calendar API: due dates and the list of years (DOMAIN §4, §11)."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar/due-date"


def test_due_date_is_public_and_counts_from_the_day_after_the_decision(api_client):
    response = api_client.get(URL, {"start": "2026-02-13", "working_days": "7"})
    assert response.status_code == 200
    assert response.json() == {"due_date": "2026-03-02", "provisional": False}


def test_due_date_in_a_year_without_schedule_is_provisional(api_client):
    response = api_client.get(URL, {"start": "2026-12-28", "working_days": "7"})
    assert response.status_code == 200
    assert response.json() == {"due_date": "2027-01-07", "provisional": True}


def test_due_date_ignores_a_bad_token_because_it_is_public(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api_client.get(URL, {"start": "2026-02-13", "working_days": "0"}).json()["due_date"] == "2026-02-13"


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"working_days": "7"}, "start", "required"),
        ({"start": "", "working_days": "7"}, "start", "invalid"),
        ({"start": "2026-02-30", "working_days": "7"}, "start", "invalid"),
        ({"start": "13/02/2026", "working_days": "7"}, "start", "invalid"),
        ({"start": "9999-12-31", "working_days": "7"}, "start", "out_of_range"),
        ({"start": "0001-01-01", "working_days": "7"}, "start", "out_of_range"),
        ({"start": "2026-02-13"}, "working_days", "required"),
        ({"start": "2026-02-13", "working_days": "seven"}, "working_days", "invalid"),
        ({"start": "2026-02-13", "working_days": "1.5"}, "working_days", "invalid"),
        ({"start": "2026-02-13", "working_days": "-1"}, "working_days", "min_value"),
        ({"start": "2026-02-13", "working_days": "367"}, "working_days", "max_value"),
    ],
)
def test_bad_due_date_input_is_a_400_naming_field_and_code(api_client, params, field, code):
    response = api_client.get(URL, params)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(error["field"], error["code"]) for error in errors] == [(field, code)]
    assert errors[0]["message"]


def test_both_inputs_wrong_reports_both(api_client):
    response = api_client.get(URL, {"start": "x", "working_days": "-3"})
    assert response.status_code == 400
    assert {error["field"] for error in response.json()["errors"]} == {"start", "working_days"}


def test_years_list_shows_each_year_and_whether_it_is_official(api_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = api_client.get("/api/v1/calendar/years/")
    assert response.status_code == 200
    years = {row["year"]: row for row in response.json()}
    assert set(years) == set(range(2004, 2027))
    assert years[2026]["is_official"] is True
    assert years[2026]["notice"] == "国办发明电〔2025〕7号"


def test_schema_documents_the_due_date_parameters(api_client):
    response = api_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    operation = response.json()["paths"]["/api/v1/calendar/due-date"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} == {"start", "working_days"}
