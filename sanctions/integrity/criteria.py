"""The default criteria of the yearly integrity assessment: the seed 004 plan's areas of 政务诚信 (东丽区方案).

They only fill the assessment form's rows; the credit office may rename, re-weigh, add or drop rows for a year,
and each assessment keeps the criteria it was scored on (``IntegrityAssessment.items``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DEFAULT_CRITERIA: tuple[tuple[str, int], ...] = (
    (_("政务诚信监督：接受人大、政协和社会监督，政务失信投诉举报办理"), 15),
    (_("政务信用管理：公务员诚信教育，政务失信记录报送"), 15),
    (_("政府采购领域履约守信"), 10),
    (_("政府和社会资本合作领域履约守信"), 10),
    (_("招标投标领域诚信履职"), 10),
    (_("招商引资政策承诺兑现"), 15),
    (_("政府债务依法依规、按期偿还"), 10),
    (_("街道公开承诺与守信践诺"), 5),
    (_("双公示信息按时报送与更正"), 10),
)
