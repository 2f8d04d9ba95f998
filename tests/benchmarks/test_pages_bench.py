"""The public-pages benchmark (issue 8: no page over 300 ms) runs on demo data and reaches every page (never timed)."""

from __future__ import annotations

import io

import pytest

from django.core.cache import cache
from django.core.management import call_command

from benchmarks import bench
from tests.benchmarks.test_harness import context

pytestmark = pytest.mark.django_db


def test_pages_benchmark_renders_every_public_page_of_the_demo_data():
    call_command("generate_demo", "--subjects", "40", "--seed", "3", stdout=io.StringIO())
    cache.clear()
    [row] = bench.bench_pages(context(page_requests=1))
    assert row.portal != "skipped", row.note
    pages = bench.public_page_urls()
    assert {"home", "penalty detail", "subject profile", "list entry", "campaign detail"} <= set(pages)
    assert set(row.figures) == set(pages)
    assert row.met.startswith(("yes", "no"))


def test_a_page_that_fails_makes_the_row_say_so(monkeypatch):
    monkeypatch.setattr(bench, "public_page_urls", lambda: {"missing": "/no-such-page/"})
    [row] = bench.bench_pages(context(page_requests=1))
    assert row.portal == "skipped"
    assert "/no-such-page/ answered [404]" in row.note
