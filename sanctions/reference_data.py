"""Reference data of the sanctions app: list types, measures and the default evaluation model (credit_portal.seeding)."""

from __future__ import annotations

from importlib import import_module

# issue 11 defaults: A 诚信 / B 良好 / C 关注 / D 失信, with a random-inspection ratio per grade (分级分类监管).
DEFAULT_BANDS = [
    # symbol, meaning, lowest score, inspection ratio (%), suggestion
    ("A", "诚信", 100, 3, "降低抽查比例和频次，可适用绿色通道、容缺受理等激励措施。"),
    ("B", "良好", 90, 5, "按常规比例和频次抽查。"),
    ("C", "关注", 70, 15, "适当提高抽查比例和频次，加强日常监管。"),
    ("D", "失信", -100000, 30, "列为重点监管对象，提高抽查比例和频次，依法实施失信惩戒。"),
]


def seed_evaluation_model(EvaluationModel, GradeBand) -> None:  # noqa: N803 (historical models in migrations)
    """Create version 1 of the scoring model with its four grades unless a model exists already."""
    if EvaluationModel.objects.exists():
        return
    model = EvaluationModel.objects.create(
        version=1, name="公共信用综合评价模型（默认）", is_active=True, effective_date="2020-01-01"
    )
    GradeBand.objects.bulk_create(
        GradeBand(model=model, symbol=s, meaning=m, min_score=low, inspection_ratio=ratio, suggestion=text)
        for s, m, low, ratio, text in DEFAULT_BANDS
    )


def seed() -> None:
    """Restore the seeded rows of an emptied database without touching rows administrators have edited."""
    from django.apps import apps

    from .models import EvaluationModel, GradeBand, ListType

    if not ListType.objects.exists():
        import_module("sanctions.migrations.0002_seed_list_types_and_measures").seed(apps, None)
    seed_evaluation_model(EvaluationModel, GradeBand)
