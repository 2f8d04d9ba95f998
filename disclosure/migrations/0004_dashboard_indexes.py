"""PostgreSQL indexes for the department dashboards and the staff start page (issue 10 §2).

EXPLAIN at 60,000 records showed sequential scans of both record tables for the credit office's views, which read
every department: the 合规率 counts (``selectors.compliance_by_department``: publishable records grouped by department
and timeliness) and the start page's drafts awaiting publication (``staff_home_blocks``). Here:

* ``*_dashboard_counts``: (department, timeliness) with the other columns the counts read, partial on
  ``is_publishable``, so that the counts are an index-only scan instead of reading the wide rows;
* ``*_drafts_due``: (department, timeliness) of publishable drafts only, a small index whatever the table's size.

A clerk's views filter by department and already use ``*_dept_status``. Also: ``credit_name_grams`` (0003) is
declared expensive, so that the planner answers a 1-2 character name search from the gram index rather than by
evaluating the function row by row (``registry.search``). Nothing happens on other databases.
"""

from django.db import migrations

INDEXES = [
    (f"{table}_{name}", table, definition)
    for table in ("disclosure_penalty", "disclosure_licensing")
    for name, definition in (
        (
            "dashboard_counts",
            "(department_id, timeliness) INCLUDE (status, published_at, decision_date, id) WHERE is_publishable",
        ),
        ("drafts_due", "(department_id, timeliness) WHERE status = 'draft' AND is_publishable"),
    )
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {definition}")
    schema_editor.execute("ALTER FUNCTION credit_name_grams(text) COST 1000")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _definition in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0003_public_name_search_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
