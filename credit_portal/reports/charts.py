"""Server-rendered SVG bar charts: no JavaScript, no library, nothing loaded from elsewhere (issue 8)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

# Colours with at least 4.5:1 contrast against white, told apart by pattern of order too (legend).
PALETTE = ("#1f5fa8", "#b3261e", "#2e7d32", "#6a1b9a")
ROW_HEIGHT = 22
LABEL_WIDTH = 190
BAR_AREA = 420
VALUE_WIDTH = 70


def _number(value) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def _format(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def bar_chart(chart) -> SafeString:
    """Horizontal grouped bars, one group per row of the chart, one bar per plotted column."""
    series = chart.series
    if not chart.rows:
        return mark_safe(f'<p class="muted">{escape(gettext("所选范围内暂无数据。"))}</p>')
    peak = max((_number(row[index]) for row in chart.rows for index in series), default=0) or 1
    group_height = ROW_HEIGHT * len(series) + 8
    legend_height = 24
    height = legend_height + group_height * len(chart.rows) + 8
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    title_id = f"chart-{chart.key}-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{title_id}" '
        f'viewBox="0 0 {width} {height}" style="display:block;width:100%;height:auto" '
        f'font-family="inherit" font-size="12">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
    ]
    x = LABEL_WIDTH
    for position, index in enumerate(series):
        colour = PALETTE[position % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="16" fill="#222">{escape(chart.columns[index])}</text>')
        x += 16 + 14 * len(chart.columns[index]) + 16
    y = legend_height
    for row in chart.rows:
        label = str(row[0])
        short = label if len(label) <= 14 else label[:13] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + group_height / 2 + 4}" text-anchor="end" fill="#222">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
        )
        for position, index in enumerate(series):
            value = row[index]
            length = round(BAR_AREA * _number(value) / peak, 1)
            bar_y = y + 4 + position * ROW_HEIGHT
            colour = PALETTE[position % len(PALETTE)]
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{bar_y}" width="{length}" height="{ROW_HEIGHT - 6}" fill="{colour}">'
                f"<title>{escape(label)} · {escape(chart.columns[index])}: {escape(_format(value))}</title></rect>"
            )
            parts.append(
                f'<text x="{LABEL_WIDTH + length + 4}" y="{bar_y + ROW_HEIGHT - 10}" fill="#222">'
                f"{escape(_format(value))}{escape(chart.unit) if value is not None else ''}</text>"
            )
        y += group_height
    parts.append(f'<line x1="{LABEL_WIDTH}" y1="{legend_height}" x2="{LABEL_WIDTH}" y2="{y}" stroke="#555"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
