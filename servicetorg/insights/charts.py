"""Charts drawn on the server as SVG: a line chart for trends and a bar chart for comparisons.

Each chart comes with its figures as a table and a one-sentence summary, so a screen reader, a
printer without colour and a person who cannot tell the colours apart all get the same facts.
No chart library: the drawing is a few dozen lines of arithmetic.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Colours with at least 4.5:1 contrast on white; each series also has its own dash and marker,
# so the lines differ without colour.
COLOURS = ("#1e5aa0", "#9c4a00", "#2d6a31", "#6b2f85")
DASHES = ("", "6 4", "2 3", "10 3 2 3")
MARKERS = ("circle", "square", "diamond", "triangle")
GRID, AXIS, TEXT = "#c4c8cc", "#5b6168", "#1f2933"

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 48


@dataclass
class Series:
    label: str
    values: list[float | None]


@dataclass
class Chart:
    """A drawn chart and what it says in words and figures."""

    key: str
    title: str
    svg: SafeString
    summary: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)


Format = Callable[[float | None], str]


def percent(value: float | None) -> str:
    """A share (0–1) as whole percent, the way Norwegian text writes it: "68 %"."""
    return "–" if value is None else f"{round(value * 100)} %"


def number(value: float | None) -> str:
    """A number as the active language writes it: "1 300 608" and "0,3" in Norwegian."""
    if value is None:
        return "–"
    decimals = 0 if float(value).is_integer() else 1
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def _attr(value: object) -> str:
    return quoteattr(str(value))


def _nice_top(highest: float, share: bool) -> float:
    """The top of the value axis: 100 % for shares, otherwise a round number above the highest."""
    if share:
        return 1.0
    if highest <= 0:
        return 1.0
    step = 10 ** max(len(str(int(highest))) - 1, 0)
    for factor in (1, 2, 2.5, 5, 10):
        if highest <= step * factor:
            return step * factor
    return step * 10


def _open(key: str, title: str, desc: str, height: int = HEIGHT) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'class="chart" role="img" aria-labelledby="{key}-title {key}-desc" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">{escape(desc)}</desc>',
    ]


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if kind == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if kind == "triangle":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


def _value_axis(top: float, fmt: Format, share: bool) -> list[str]:
    parts = []
    plot_height = HEIGHT - TOP - BOTTOM
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_height * (1 - i / 4)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{GRID if i else AXIS}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{escape(fmt(value if share else round(value, 1)))}</text>"
        )
    return parts


def _legend(series: Sequence[Series], y: float) -> list[str]:
    parts, x = [], LEFT
    for index, one in enumerate(series):
        colour, dash = COLOURS[index % 4], DASHES[index % 4]
        parts.append(
            f'<line x1="{x}" y1="{y:.1f}" x2="{x + 24}" y2="{y:.1f}" stroke="{colour}" '
            f'stroke-width="2.5"{f" stroke-dasharray={_attr(dash)}" if dash else ""}/>'
        )
        parts.append(_marker(MARKERS[index % 4], x + 12, y, colour))
        parts.append(f'<text x="{x + 30}" y="{y + 4:.1f}" fill="{TEXT}">{escape(one.label)}</text>')
        x += 40 + 7 * len(one.label)
    return parts


def line_chart(
    key: str,
    title: str,
    labels: list[str],
    series: list[Series],
    summary: str,
    fmt: Format = number,
    share: bool = False,
) -> Chart:
    """A trend: one line per series over the labels (months), with its table and summary."""
    present = [v for one in series for v in one.values if v is not None]
    top = _nice_top(max(present, default=0), share)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(labels) - 1, 1)
    parts = _open(key, title, summary)
    parts += _value_axis(top, fmt, share)
    # Label at most about twelve months on the axis, evenly spaced, always the last one.
    every = max(1, -(-len(labels) // 12))
    for index, label in enumerate(labels):
        if index % every and index != len(labels) - 1:
            continue
        x = LEFT + step * index if len(labels) > 1 else LEFT + plot_width / 2
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'fill="{TEXT}">{escape(label)}</text>'
        )
    for index, one in enumerate(series):
        colour, dash = COLOURS[index % 4], DASHES[index % 4]
        points = []
        for i, value in enumerate(one.values):
            if value is None:
                continue
            x = LEFT + step * i if len(labels) > 1 else LEFT + plot_width / 2
            y = TOP + plot_height * (1 - min(value / top, 1))
            points.append((x, y))
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"'
                f"{f' stroke-dasharray={_attr(dash)}' if dash else ''}/>"
            )
        parts += [_marker(MARKERS[index % 4], x, y, colour) for x, y in points]
    parts += _legend(series, HEIGHT - 12)
    parts.append("</svg>")
    rows = [[label, *(fmt(one.values[i]) for one in series)] for i, label in enumerate(labels)]
    columns = [_("Month"), *(one.label for one in series)]
    return Chart(key, title, mark_safe("".join(parts)), summary, columns, rows)


def bar_chart(
    key: str,
    title: str,
    labels: list[str],
    values: list[float | None],
    summary: str,
    fmt: Format = number,
    share: bool = False,
    column: str = "",
) -> Chart:
    """A comparison: one horizontal bar per label, its value written at the end of the bar."""
    bar, gap, label_width = 20, 8, 180
    height = TOP + len(labels) * (bar + gap) + 8
    top = _nice_top(max((v for v in values if v is not None), default=0), share)
    room = WIDTH - label_width - RIGHT - 56
    parts = _open(key, title, summary, height)
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = TOP + index * (bar + gap)
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar * 0.7:.1f}" text-anchor="end" '
            f'fill="{TEXT}">{escape(short)}</text>'
        )
        length = 0 if value is None else room * min(value / top, 1)
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar}" '
            f'fill="{COLOURS[0]}"/>'
        )
        parts.append(
            f'<text x="{label_width + length + 6:.1f}" y="{y + bar * 0.7:.1f}" '
            f'fill="{TEXT}">{escape(fmt(value))}</text>'
        )
    parts.append(
        f'<line x1="{label_width}" y1="{TOP - 4}" x2="{label_width}" y2="{height - 4}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    rows = [[label, fmt(value)] for label, value in zip(labels, values, strict=True)]
    return Chart(key, title, mark_safe("".join(parts)), summary, ["", column or title], rows)


def trend_sentence(what: str, first: float, last: float, since: str, until: str) -> str:
    """How a share moved, e.g. "Digital share rose from 41 % in January 2025 to 68 % in
    December 2025."."""
    values = {
        "what": what,
        "first": percent(first),
        "last": percent(last),
        "since": since,
        "until": until,
    }
    if since == until:
        return _("%(what)s was %(last)s in %(until)s.") % values
    if percent(first) == percent(last):
        return _("%(what)s stayed at %(last)s from %(since)s to %(until)s.") % values
    if last > first:
        return _("%(what)s rose from %(first)s in %(since)s to %(last)s in %(until)s.") % values
    return _("%(what)s fell from %(first)s in %(since)s to %(last)s in %(until)s.") % values


def days_sentence(first: float, last: float, since: str, until: str) -> str:
    """How the median time to decision moved, in days."""
    values = {"first": number(first), "last": number(last), "since": since, "until": until}
    if since == until:
        return _("The median time to decision was %(last)s days in %(until)s.") % values
    return (
        _(
            "The median time to decision was %(first)s days in %(since)s and %(last)s days "
            "in %(until)s."
        )
        % values
    )
