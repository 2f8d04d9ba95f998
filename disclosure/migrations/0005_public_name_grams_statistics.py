"""Statistics on the name grams of the record tables, so that the planner knows how common a 1-2 character query is
(issue 10 (a)).

The gram indexes of 0003 are partial (public records only), and PostgreSQL ignores a partial index's expression
statistics when estimating. It then took the default 0.5 % for ``credit_name_grams(subject_name) @> '{天津}'`` (2,079
rows estimated, 238,383 found at 1,000,000 subjects) and read every match through a bitmap before sorting for the
first page: 33 s. Extended statistics on the expression (PostgreSQL 14+) give the planner the grams' frequencies: a
common gram is then answered by reading the decision-date index backwards until 20 matches (85 ms), a rare one by
the gram index. ANALYZE fills them once here; autovacuum keeps them current. Nothing happens on other databases.
"""

from django.db import migrations

TABLES = ("disclosure_penalty", "disclosure_licensing")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql" or schema_editor.connection.pg_version < 140000:
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {table}_name_grams_stats "
            f"ON (credit_name_grams(subject_name::text)) FROM {table}"
        )
        schema_editor.execute(f"ANALYZE {table}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {table}_name_grams_stats")


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0004_dashboard_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
