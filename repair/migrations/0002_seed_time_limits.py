"""Seed the default time-limit rows of DOMAIN §8 (the same code restores them after a flush)."""

from django.db import migrations


def seed(apps, schema_editor):
    from repair.reference_data import seed as seed_rows

    seed_rows(apps)


class Migration(migrations.Migration):
    dependencies = [("repair", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
