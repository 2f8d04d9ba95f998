"""Seed version 1 of the public credit evaluation model with the default grades A/B/C/D (issue 11)."""

from django.db import migrations


def seed(apps, schema_editor):
    from sanctions.reference_data import seed_evaluation_model

    seed_evaluation_model(apps.get_model("sanctions", "EvaluationModel"), apps.get_model("sanctions", "GradeBand"))


class Migration(migrations.Migration):
    dependencies = [("sanctions", "0003_commitments_and_evaluation")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
