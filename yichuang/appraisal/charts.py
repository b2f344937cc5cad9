"""Charts drawn by the server as inline SVG: no script, no library, no CDN; they print and
work on an intranet. The worst spots come first and a rate below its target is red, so the
eye lands where the hall office must act. Every label is escaped; a long one is shortened on
the chart and kept whole in its tooltip."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ACCENT, GREEN, RED, YELLOW, GRID = "#0b5cad", "#1e7d32", "#b3261e", "#a66300", "#eef1f5"
INK, MUTED = "#1f2933", "#5f6b7a"


def _short(label: str, limit: int = 12) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _svg(
    width: int, height: int, title: str, parts: list[str], *, links: bool = False
) -> SafeString:
    # An image's insides are hidden from assistive technology, so a chart whose labels are
    # links is a group (named by its <title> all the same): its links stay reachable.
    role = "group" if links else "img"
    head = (
        f'<svg class="chart" role="{role}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f"<title>{escape(title)}</title>"
    )
    return mark_safe(head + "".join(parts) + "</svg>")  # noqa: S308 - labels escaped above


def _labelled(label: str, value: str) -> str:
    return _("%(label)s：%(value)s") % {"label": label, "value": value}


def _row(y, label, href, bar, value_text, bar_space, label_width, height) -> str:
    mid = y + height / 2 + 5
    text = (
        f'<text x="{label_width - 8}" y="{mid}" text-anchor="end" font-size="13" '
        f'fill="{INK}">{escape(_short(label))}</text>'
    )
    if href:
        text = f'<a href="{escape(href)}">{text}</a>'
    return (
        f"<g><title>{escape(_labelled(label, value_text))}</title>{text}"
        f'<rect x="{label_width}" y="{y}" width="{bar_space}" height="{height}" '
        f'fill="{GRID}" rx="3"/>{bar}'
        f'<text x="{label_width + bar_space + 8}" y="{mid}" font-size="13" '
        f'fill="{INK}">{escape(value_text)}</text></g>'
    )


def rate_bars(rows, *, target=None, title: str = "", width: int = 600) -> SafeString:
    """`rows`: (label, rate in [0, 1] or None, link). Worst first; below `target` red, and
    the target drawn as a dashed line. A group without a rate (nothing to count) goes last,
    marked "—"."""
    label_width, value_width, height, gap = 150, 70, 20, 7
    bar_space = width - label_width - value_width
    ordered = sorted(rows, key=lambda r: (r[1] is None, r[1] if r[1] is not None else 0))
    total_height = len(ordered) * (height + gap) + gap + 14
    parts = []
    for i, (label, rate, href) in enumerate(ordered):
        y = gap + i * (height + gap)
        if rate is None:
            bar, value = "", "—"
        else:
            below = target is not None and rate < float(target)
            color = RED if below else GREEN
            length = round(bar_space * max(min(rate, 1), 0))
            bar = (
                f'<rect x="{label_width}" y="{y}" width="{length}" height="{height}" '
                f'fill="{color}" rx="3"/>'
            )
            value = f"{rate * 100:.1f}%"
        parts.append(_row(y, str(label), href, bar, value, bar_space, label_width, height))
    if target is not None:
        x = label_width + round(bar_space * float(target))
        bottom = total_height - 14
        parts.append(
            f'<line x1="{x}" y1="2" x2="{x}" y2="{bottom}" stroke="{INK}" '
            f'stroke-dasharray="4 3" stroke-width="1"/>'
            f'<text x="{x}" y="{total_height - 2}" text-anchor="middle" font-size="11" '
            f'fill="{MUTED}">{escape(f"{float(target) * 100:.0f}%")}</text>'
        )
    return _svg(width, total_height, title, parts, links=any(r[2] for r in ordered))


def count_bars(rows, *, title: str = "", width: int = 600, color: str = RED) -> SafeString:
    """`rows`: (label, count, link). Largest first: the most overdue department on top."""
    label_width, value_width, height, gap = 150, 70, 20, 7
    bar_space = width - label_width - value_width
    ordered = sorted(rows, key=lambda r: -r[1])
    peak = max([r[1] for r in ordered] + [1])
    parts = []
    for i, (label, count, href) in enumerate(ordered):
        y = gap + i * (height + gap)
        length = round(bar_space * count / peak)
        bar = (
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{height}" '
            f'fill="{color if count else GRID}" rx="3"/>'
        )
        parts.append(_row(y, str(label), href, bar, str(count), bar_space, label_width, height))
    links = any(r[2] for r in ordered)
    return _svg(width, len(ordered) * (height + gap) + gap, title, parts, links=links)


LEVEL_COLORS = {"5": GREEN, "4": GREEN, "3": ACCENT, "2": YELLOW, "1": RED}


def level_bars(counts: dict, labels: dict, *, title: str = "") -> SafeString:
    """The five rating levels, best first, green to red, each with its share."""
    width, label_width, value_width, height, gap = 600, 150, 110, 20, 7
    bar_space = width - label_width - value_width
    total = sum(counts.values())
    peak = max(list(counts.values()) + [1])
    parts = []
    for i, level in enumerate(("5", "4", "3", "2", "1")):
        y = gap + i * (height + gap)
        n = counts.get(level, 0)
        bar = (
            f'<rect x="{label_width}" y="{y}" width="{round(bar_space * n / peak)}" '
            f'height="{height}" fill="{LEVEL_COLORS[level]}" rx="3"/>'
        )
        share = f"{n / total * 100:.1f}%" if total else "—"
        parts.append(
            _row(
                y,
                str(labels[level]),
                None,
                bar,
                _("%(count)s（%(share)s）") % {"count": n, "share": share},
                bar_space,
                label_width,
                height,
            )
        )
    return _svg(width, 5 * (height + gap) + gap, title, parts)


def monthly_columns(series, *, target=None, title: str = "", width: int = 720) -> SafeString:
    """`series`: (month label, rate or None). One column per month, left to right, red when
    below `target`; a month without data shows no column."""
    height, top, bottom, left = 220, 16, 34, 40
    inner = height - top - bottom
    step = (width - left - 10) / max(len(series), 1)
    parts = [
        f'<line x1="{left}" y1="{top + inner}" x2="{width - 10}" y2="{top + inner}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    ]
    for tick in (0, 50, 100):
        y = top + inner - inner * tick / 100
        parts.append(
            f'<text x="{left - 6}" y="{y + 4}" text-anchor="end" font-size="11" '
            f'fill="{MUTED}">{tick}%</text>'
        )
    for i, (label, rate) in enumerate(series):
        x = left + i * step + step * 0.18
        column = step * 0.64
        if rate is not None:
            tall = inner * max(min(rate, 1), 0)
            below = target is not None and rate < float(target)
            parts.append(
                f"<g><title>{escape(_labelled(label, f'{rate * 100:.1f}%'))}</title>"
                f'<rect x="{x:.1f}" y="{top + inner - tall:.1f}" width="{column:.1f}" '
                f'height="{tall:.1f}" fill="{RED if below else GREEN}" rx="2"/>'
                f'<text x="{x + column / 2:.1f}" y="{top + inner - tall - 3:.1f}" '
                f'text-anchor="middle" font-size="10" fill="{INK}">{rate * 100:.0f}%</text></g>'
            )
        parts.append(
            f'<text x="{x + column / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="11" fill="{INK}">{escape(label)}</text>'
        )
    return _svg(width, height, title, parts)
