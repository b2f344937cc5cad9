"""Bar charts drawn on the server as inline SVG: no script, no library, no CDN, and they print.
Labels are escaped; a long one is shortened on the bar and kept whole in its tooltip."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

COLORS = {"accent": "#0b5cad", "green": "#1e7d32", "yellow": "#a66300", "red": "#b3261e"}


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(
    rows,
    *,
    width: int = 560,
    label_width: int = 170,
    bar_height: int = 22,
    title: str = "",
    total: int | None = None,
) -> SafeString:
    """`rows`: (label, count) or (label, count, color name). Bars are scaled to the largest
    count; each shows its count and share of `total` (the sum of the counts by default; the
    number of respondents for a multiple choice, whose shares add up to more than 100%)."""
    rows = [(str(r[0]), int(r[1]), r[2] if len(r) > 2 else "accent") for r in rows]
    total = sum(count for _l, count, _c in rows) if total is None else total
    peak = max([count for _l, count, _c in rows] + [1])
    gap, value_width = 8, 96
    bar_space = width - label_width - value_width
    height = len(rows) * (bar_height + gap) + gap
    parts = [
        f'<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f"<title>{escape(title)}</title>"
    ]
    for i, (label, count, color) in enumerate(rows):
        y = gap + i * (bar_height + gap)
        length = round(bar_space * count / peak) if count else 0
        share = f"{count / total:.0%}" if total else "—"
        value = _("%(count)s（%(share)s）") % {"count": count, "share": share}
        tip = _("%(label)s：%(value)s") % {"label": label, "value": value}
        mid = y + bar_height / 2 + 5
        parts.append(
            f"<g><title>{escape(tip)}</title>"
            f'<text x="{label_width - 8}" y="{mid}" text-anchor="end" font-size="13" '
            f'fill="#1f2933">{escape(_short(label, 13))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{bar_space}" height="{bar_height}" '
            f'fill="#eef1f5" rx="3"/>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
            f'fill="{COLORS.get(color, COLORS["accent"])}" rx="3"/>'
            f'<text x="{label_width + bar_space + 8}" y="{mid}" font-size="13" '
            f'fill="#1f2933">{escape(value)}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label above is escaped


LEVEL_COLORS = {5: "green", 4: "green", 3: "accent", 2: "yellow", 1: "red"}


def level_chart(counts: dict, labels: dict, title: str = "") -> SafeString:
    """The five levels, best first, coloured from green to red."""
    return bar_chart(
        [(labels[n], counts.get(str(n), 0), LEVEL_COLORS[n]) for n in (5, 4, 3, 2, 1)],
        title=title,
    )
