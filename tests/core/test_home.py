"""The public home page: search box, sections, figures, and the fallback subject search (DOMAIN §10, §13)."""

import re

import pytest

from django.core.cache import cache
from django.urls import reverse

from tests.registry.factories import NaturalPersonFactory, SubjectFactory

pytestmark = pytest.mark.django_db

SEARCH_LABEL = "搜索企业、个体工商户名称或统一社会信用代码"


@pytest.fixture(autouse=True)
def _fresh_figures():
    cache.delete("home-figures")
    yield
    cache.delete("home-figures")


def test_home_page_has_a_labelled_search_box(client):
    html = client.get("/").content.decode()
    assert f'<label for="home-search">{SEARCH_LABEL}</label>' in html
    assert 'id="home-search" name="q"' in html
    assert 'role="search"' in html


def test_home_page_has_landmarks_and_a_skip_link(client):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#content">' in html
    assert '<main id="content"' in html
    assert 'aria-label="主导航"' in html
    assert "<footer" in html


def test_home_page_counts_subjects(client):
    SubjectFactory.create_batch(3)
    response = client.get("/")
    figures = {figure["label"]: figure["count"] for figure in response.context["figures"]}
    assert figures["登记主体"] == 3


def test_home_page_serves_its_stylesheet_from_the_project_not_a_cdn(client):
    html = client.get("/").content.decode()
    assert "/static/css/portal.css" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing loaded or linked from another site
    assert client.get("/static/css/portal.css").status_code == 200


@pytest.mark.urls("tests.core.urls_portal_only")
def test_sections_without_a_page_yet_are_shown_as_pending_not_as_broken_links(client):
    html = client.get("/").content.decode()
    assert "建设中" in html
    assert 'href="None"' not in html


@pytest.mark.urls("tests.core.urls_with_sections")
def test_navigation_shows_a_section_as_soon_as_its_url_name_exists(client):
    html = client.get("/").content.decode()
    assert f'href="{reverse("disclosure-public-penalties")}">双公示</a>' in html
    assert f'href="{reverse("code-check")}">统一社会信用代码校验</a>' in html


def test_home_search_is_sent_to_the_subject_search_across_all_public_data(client):
    target = reverse("subject-search-public")
    assert f'action="{target}"' in client.get("/").content.decode()
    response = client.get("/search/", {"q": "华为"})
    assert response.status_code == 302
    assert response["Location"] == f"{target}?q=%E5%8D%8E%E4%B8%BA"


@pytest.mark.urls("tests.core.urls_portal_only")
def test_fallback_search_finds_subjects_by_part_of_the_name(client):
    SubjectFactory(name="天津华信科技有限公司")
    SubjectFactory(name="天津小米商贸有限公司")
    response = client.get("/search/", {"q": "华信"})
    names = [subject.name for subject in response.context["subjects"]]
    assert names == ["天津华信科技有限公司"]


@pytest.mark.urls("tests.core.urls_portal_only")
def test_fallback_search_matches_a_code_exactly_in_any_case(client):
    subject = SubjectFactory()
    SubjectFactory()
    response = client.get("/search/", {"q": subject.uscc.lower()})
    assert [found.pk for found in response.context["subjects"]] == [subject.pk]


@pytest.mark.urls("tests.core.urls_portal_only")
def test_fallback_search_masks_natural_persons_and_never_shows_id_numbers(client):
    person = NaturalPersonFactory(name="张三明")
    html = client.get("/search/", {"q": "张"}).content.decode()
    assert "张*明" in html
    assert "张三明" not in html
    assert person.id_number_masked not in html
    assert person.reveal_id_number() not in html


@pytest.mark.urls("tests.core.urls_portal_only")
def test_fallback_search_without_a_query_lists_nothing(client):
    SubjectFactory()
    response = client.get("/search/", {"q": "  "})
    assert response.context["subjects"] == []
    assert "查询结果" not in response.content.decode()


def test_footer_links_open_data_and_the_api_access_application(client):
    html = client.get("/").content.decode()
    assert f'href="{reverse("opendata-snapshots")}">开放数据</a>' in html
    assert f'href="{reverse("clients-apply")}">接口接入申请</a>' in html
