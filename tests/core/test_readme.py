"""README.md cannot drift from the code: its periodic-jobs table is credit_portal.jobs.JOBS, its management-commands
table names every command of the project's apps with its real arguments, and every page it lists exists.

When a test fails its message shows the exact rows README.md needs.
"""

from __future__ import annotations

import argparse
import re
from importlib import import_module
from pathlib import Path

import pytest
from celery.schedules import crontab, schedule

from django.conf import settings
from django.core.management import get_commands, load_command_class
from django.core.management.base import BaseCommand
from django.urls import Resolver404, resolve

from credit_portal.context_processors import PUBLIC_NAV, STAFF_NAV, first_url
from credit_portal.jobs import JOBS

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_section(title: str) -> str:
    """The text under `## title` up to the next heading of the same level."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, f"README.md has no section '## {title}'"
    return match.group(1)


def table_rows(section: str) -> list[list[str]]:
    """The body rows of the Markdown tables in a section, as lists of cells (`\\|` stays inside a cell)."""
    lines = section.splitlines()
    rows = []
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        if not line.startswith("|") or SEPARATOR.fullmatch(line.strip()) or SEPARATOR.fullmatch(following.strip()):
            continue  # not a table, a separator, or a header (the line above a separator)
        rows.append([cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]])
    return rows


SEPARATOR = re.compile(r"\|[-| :]+\|")


# --- periodic jobs ------------------------------------------------------------------------------------------------


def describe_schedule(when: schedule | crontab) -> str:
    """A job's schedule as the README writes it: `every 30 s`, `hourly at :05`, `daily 03:10`."""
    if isinstance(when, crontab):
        minute, hour = when._orig_minute, when._orig_hour
        rest = (when._orig_day_of_week, when._orig_day_of_month, when._orig_month_of_year)
        if all(str(part) == "*" for part in rest) and str(minute).isdigit():
            if str(hour) == "*":
                return f"hourly at :{int(minute):02d}"
            if str(hour).isdigit():
                return f"daily {int(hour):02d}:{int(minute):02d}"
        day_of_week, day_of_month, month_of_year = rest
        return f"cron `{minute} {hour} {day_of_month} {month_of_year} {day_of_week}`"
    seconds = int(when.run_every.total_seconds())
    return f"every {seconds} s" if seconds < 120 or seconds % 60 else f"every {seconds // 60} min"


def escape(cell: str) -> str:
    return cell.replace("|", "\\|")


def jobs_table() -> str:
    lines = ["| job | when | what |", "|---|---|---|"]
    lines += [f"| `{job.name}` | {describe_schedule(job.schedule)} | {escape(job.description)} |" for job in JOBS]
    return "\n".join(lines)


def test_every_periodic_job_is_in_the_readme_with_its_schedule_and_description():
    rows = {row[0].strip("`"): row for row in table_rows(readme_section("Periodic jobs"))}
    wrong = [job for job in JOBS if rows.get(job.name, [])[1:] != [describe_schedule(job.schedule), job.description]]
    assert wrong == [], "README.md: the Periodic jobs table should read\n" + jobs_table()
    assert set(rows) == {job.name for job in JOBS}, "README.md: the Periodic jobs table should read\n" + jobs_table()


def test_schedules_are_described_as_the_readme_writes_them():
    assert describe_schedule(crontab(hour=8, minute=0)) == "daily 08:00"
    assert describe_schedule(crontab(minute=5)) == "hourly at :05"
    assert describe_schedule(schedule(run_every=30)) == "every 30 s"
    assert describe_schedule(schedule(run_every=600)) == "every 10 min"


# --- management commands ------------------------------------------------------------------------------------------

BASE_OPTIONS = {action.dest for action in BaseCommand().create_parser("manage.py", "base")._actions}


def project_commands() -> dict[str, str]:
    """Management commands of the project's own apps (not Django's, not installed packages'): name -> app."""
    base = Path(settings.BASE_DIR).resolve()
    commands = {}
    for name, app in get_commands().items():
        if app == "django.core":
            continue
        location = Path(import_module(app).__file__).resolve()
        if location.is_relative_to(base) and ".venv" not in location.relative_to(base).parts:
            commands[name] = app
    return commands


def synopsis(name: str, app: str) -> str:
    """`name ARG --required X [--flag] [--option VALUE]`, from the command's own argument parser."""
    parser = load_command_class(app, name).create_parser("manage.py", name)
    words = [name]
    for action in parser._actions:
        if action.dest in BASE_OPTIONS:
            continue
        if not action.option_strings:
            words.append(action.metavar or action.dest.upper())
            continue
        flag = max(action.option_strings, key=len)
        if isinstance(action, argparse._StoreTrueAction | argparse._StoreFalseAction):
            word = flag
        elif action.choices:
            word = f"{flag} {'|'.join(map(str, action.choices))}"
        else:
            word = f"{flag} {action.metavar or action.dest.upper()}"
        if isinstance(action, argparse._AppendAction):
            word += " …"
        words.append(word if action.required else f"[{word}]")
    return " ".join(words)


def test_the_project_has_its_own_commands():
    """The filter above must not be so strict that the next test checks nothing."""
    assert {"generate_demo", "run_jobs", "create_user"} <= set(project_commands())


def test_every_management_command_of_the_project_is_in_the_readme_with_its_arguments():
    rows = {row[0].strip("`").split(" ")[0]: row for row in table_rows(readme_section("Management commands"))}
    commands = project_commands()
    expected = {name: f"`{synopsis(name, app)}`" for name, app in sorted(commands.items())}
    hint = "README.md: the Management commands table needs these first cells\n" + "\n".join(
        f"| {escape(cell)} | … |" for cell in expected.values()
    )
    assert {name: rows[name][0] if name in rows else None for name in expected} == expected, hint
    assert set(rows) == set(commands), "README.md lists commands the project no longer has"
    assert all(row[1] for row in rows.values()), "every command needs a description"


# --- pages ---------------------------------------------------------------------------------------------------------


def readme_paths() -> list[str]:
    """Every path in backticks in the first column of the pages table; `<id>`-like segments become 1."""
    paths = []
    for row in table_rows(readme_section("The portal's pages")):
        for path in re.findall(r"`(/[^`\s]*)`", row[0]):
            paths.append(re.sub(r"<[^>]+>", "1", path.split("?")[0]))
    return paths


def test_every_page_the_readme_lists_exists():
    paths = readme_paths()
    assert len(paths) > 20
    unknown = []
    for path in paths:
        try:
            resolve(path)
        except Resolver404:
            unknown.append(path)
    assert unknown == []


@pytest.mark.parametrize("entries", [PUBLIC_NAV, STAFF_NAV], ids=["public", "staff"])
def test_every_navigation_section_is_in_the_readme(entries):
    listed = set(readme_paths())
    urls = {first_url(*entry.names) for entry in entries} - {None}
    assert sorted(urls - listed) == []
