"""PostgreSQL search indexes for subject names (DOMAIN §13; issue 10 §2): pg_trgm for ≥3 characters, grams for 1-2.

The expressions are the ones the ORM sends: ``UPPER("name"::text)`` for ``icontains`` and
``credit_name_grams("name"::text)`` for ``registry.search.name_contains``. Nothing happens on other databases.
"""

from django.db import migrations

from registry.search import CREATE_GRAMS_FUNCTION

INDEXES = {
    "registry_subject_name_trgm": "USING gin (UPPER(name::text) gin_trgm_ops)",
    "registry_subject_name_grams": "USING gin (credit_name_grams(name::text))",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(CREATE_GRAMS_FUNCTION)
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON registry_subject {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_subject_department_and_reveal")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
