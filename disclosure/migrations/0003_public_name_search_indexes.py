"""PostgreSQL indexes for the public name search of 双公示 records (DOMAIN §13; issue 10 §2).

Partial: only what the public may read (``RecordQuerySet.public``: published, publishable, scope 公示) is indexed,
a fraction of the table. The expressions are the ones the ORM sends: ``UPPER("subject_name"::text)`` for
``icontains`` (pg_trgm, queries of 3 characters or more) and ``credit_name_grams("subject_name"::text)`` for the
1-2 character queries of ``registry.search.name_contains``. Nothing happens on other databases.
"""

from django.db import migrations

from registry.search import CREATE_GRAMS_FUNCTION

PUBLIC = "status = 'published' AND is_publishable AND info_scope = 'public'"
INDEXES = [
    (f"{table}_public_name_{suffix}", table, definition)
    for table in ("disclosure_penalty", "disclosure_licensing")
    for suffix, definition in (
        ("trgm", "USING gin (UPPER(subject_name::text) gin_trgm_ops)"),
        ("grams", "USING gin (credit_name_grams(subject_name::text))"),
    )
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(CREATE_GRAMS_FUNCTION)
    for name, table, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {definition} WHERE {PUBLIC}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _definition in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0002_seed_policies"), ("registry", "0003_subject_name_search_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
