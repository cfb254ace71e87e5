"""Server-rendered SVG charts for programme reports: no JavaScript, and legible on paper.

Each function returns the markup of one inline `<svg>` that scales with its container (a
viewBox and width 100%, no pixel size). It is one image to assistive technology (role="img"
with a <title> and a <desc> that lists the numbers), every bar carries its value as text, and
series differ by fill pattern and outline as well as colour, so a black-and-white print keeps
them apart. Values withheld for privacy (None) never get a bar of their own size: they draw a
dashed, empty stub with the text the caller shows instead, such as "<5".

Every string from the caller is escaped. Layout is computed left to right; for right-to-left
languages every x coordinate is mirrored and text carries direction="rtl", so its "start"
anchor is its right edge.
"""

import hashlib
import math
import re
import unicodedata

from django.utils.html import escape
from django.utils.translation import gettext

FONT_SIZE = 14  # user units; at the natural width of the viewBox, 14 CSS pixels
PAD = 8
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
INK = "currentColor"  # text and the zero line follow the page, black on paper
GRID = "#b0b0b0"
SUPPRESSED_DASH = "4 3"

# Colour-blind-safe hues dark enough to print; each series also has its own pattern.
SERIES_STYLES = [
    ("#1f4e79", "solid"),
    ("#a34f00", "hatch"),
    ("#2f6b2f", "dots"),
    ("#6a3d9a", "cross"),
    ("#8c1c13", "lines"),
    ("#444444", "outline"),
]

# Characters XML 1.0 forbids; a label pasted from a spreadsheet could otherwise break the page.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Funnel geometry
FUNNEL_MIN_WIDTH = 640
FUNNEL_MIN_TRACK = 200
FUNNEL_ROW = 60
FUNNEL_BAR_HEIGHT = 26
FUNNEL_STUB = 14

# Monthly bars geometry
MONTHLY_MIN_WIDTH = 480
PLOT_HEIGHT = 200
MIN_SLOT = 18  # a 14-unit bar; wider values widen every slot
GROUP_GAP = 10
LINE = 18
STUB_HEIGHT = 8
LEGEND_SWATCH = 14
LEGEND_ROW = 24


def funnel(steps, title, description="", direction="ltr"):
    """Horizontal bars, one per (label, value, shown) step, scaled to the largest known value."""
    rtl = _is_rtl(direction)
    steps = [(_clean(label), _count(value), _shown(value, shown)) for label, value, shown in steps]
    summary = "; ".join(f"{label}: {shown}" for label, _value, shown in steps)
    if not steps or all(value == 0 for _label, value, _shown_text in steps):
        return _no_data(title, description, rtl, _uid("funnel", title, description, steps, rtl))

    label_width = max(_text_width(label) for label, _value, _shown_text in steps)
    value_space = max(48, max(_text_width(shown) for _label, _v, shown in steps) + 12)
    width = max(FUNNEL_MIN_WIDTH, label_width + 2 * PAD, 2 * PAD + value_space + FUNNEL_MIN_TRACK)
    track = width - 2 * PAD - value_space
    # In a funnel the first step is the largest; the maximum only differs if the data is not a
    # funnel, and then it keeps every bar inside the chart.
    scale = max((value for _label, value, _shown_text in steps if value is not None), default=0)
    canvas = _Canvas(width, rtl, _uid("funnel", title, description, steps, rtl))
    style = _SeriesStyle(0, canvas.uid)
    for index, (label, value, shown) in enumerate(steps):
        top = PAD + index * FUNNEL_ROW
        bar_y = top + 22
        canvas.text(PAD, top + 15, label, "start", class_="chart-label")
        if value is None:
            bar_width = FUNNEL_STUB
            canvas.rect(PAD, bar_y, bar_width, FUNNEL_BAR_HEIGHT, **_suppressed(style.colour))
        else:
            bar_width = track * value / scale if scale else 0
            canvas.rect(PAD, bar_y, bar_width, FUNNEL_BAR_HEIGHT, **style.bar())
        canvas.text(
            PAD + bar_width + 6,
            bar_y + FUNNEL_BAR_HEIGHT / 2 + 5,
            shown,
            "start",
            class_="chart-value",
        )
    height = PAD + len(steps) * FUNNEL_ROW
    desc = _join(description, summary + ".")
    return canvas.document(height, title, desc, kind="funnel")


def monthly_bars(months, series, title, description="", direction="ltr"):
    """Grouped vertical bars: one group per month, one bar per (label, values, shown) series."""
    rtl = _is_rtl(direction)
    months = [_clean(month) for month in months]
    rows = []
    for label, values, shown in series:
        if len(values) != len(months) or len(shown) != len(months):
            raise ValueError(
                f"Series {label!r} has {len(values)} values and {len(shown)} shown texts "
                f"for {len(months)} months."
            )
        counts = [_count(value) for value in values]
        rows.append(
            (_clean(label), counts, [_shown(v, s) for v, s in zip(counts, shown, strict=True)])
        )
    cells = [value for _label, counts, _shown_texts in rows for value in counts]
    uid = _uid("monthly", title, description, months, rows, rtl)
    if not cells or all(value == 0 for value in cells):
        return _no_data(title, description, rtl, uid)

    ticks = nice_ticks(max((value for value in cells if value is not None), default=0))
    top_value = ticks[-1] or 1  # only suppressed values and zeros: nothing to scale
    axis_x = PAD + max(_text_width(str(tick)) for tick in ticks) + 8
    widest_value = max(_text_width(text) for _label, _counts, texts in rows for text in texts)
    slot = max(MIN_SLOT, widest_value + 4)
    bars = len(rows) * slot
    month_label = max(_text_width(month) for month in months) + 8
    # Month labels wider than their bars alternate between two lines rather than widen the
    # chart, which would shrink all of its text.
    group = max(bars + GROUP_GAP, month_label / 2)
    widest_legend = max(_text_width(label) for label, _counts, _texts in rows)
    width = max(
        MONTHLY_MIN_WIDTH,
        axis_x + len(months) * group + PAD,
        2 * PAD + LEGEND_SWATCH + 6 + widest_legend,
    )
    group = (width - axis_x - PAD) / len(months)  # a short chart spreads its groups out
    staggered = month_label > group

    plot_top = PAD + 22  # room for the value above the tallest bar
    base = plot_top + PLOT_HEIGHT
    canvas = _Canvas(width, rtl, uid)
    styles = [_SeriesStyle(index, canvas.uid) for index in range(len(rows))]
    canvas.defs.extend(style.pattern() for style in styles)

    for tick in ticks:
        y = base - PLOT_HEIGHT * tick / top_value
        canvas.line(axis_x, y, width - PAD, y, stroke=INK if tick == 0 else GRID)
        canvas.text(axis_x - 6, y + 5, str(tick), "end", class_="chart-tick")
    summary = []
    for month_index, month in enumerate(months):
        left = axis_x + month_index * group
        first_bar = left + (group - len(rows) * slot) / 2
        canvas.open_group(class_="chart-month")
        for series_index, (_label, counts, texts) in enumerate(rows):
            value, shown, style = counts[month_index], texts[month_index], styles[series_index]
            x = first_bar + series_index * slot + 2
            if value is None:
                bar_height = STUB_HEIGHT
                canvas.rect(x, base - bar_height, slot - 4, bar_height, **_suppressed(style.colour))
            else:
                bar_height = PLOT_HEIGHT * value / top_value
                canvas.rect(x, base - bar_height, slot - 4, bar_height, **style.bar())
            canvas.text(
                x + (slot - 4) / 2, base - bar_height - 5, shown, "middle", class_="chart-value"
            )
        canvas.close_group()
        label_y = base + 20 + (LINE if staggered and month_index % 2 else 0)
        canvas.text(left + group / 2, label_y, month, "middle", class_="chart-month-label")
        values = ", ".join(f"{label} {texts[month_index]}" for label, _counts, texts in rows)
        summary.append(f"{month}: {values}")

    legend_top = base + 36 + (LINE if staggered else 0)
    legend_bottom = _legend(canvas, [label for label, _c, _t in rows], styles, legend_top)
    desc = _join(description, "; ".join(summary) + ".")
    return canvas.document(legend_bottom + PAD, title, desc, kind="monthly")


def nice_ticks(maximum):
    """Axis ticks from 0 in steps of 1, 2 or 5 × 10ⁿ, the last one at or above maximum."""
    if maximum <= 0:
        return [0]
    rough = maximum / 4
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    step = max(1, round(step))  # counts: whole numbers only
    return [index * step for index in range(math.ceil(maximum / step) + 1)]


def _legend(canvas, labels, styles, top):
    """Swatch and label per series, wrapping onto new rows; returns the bottom edge."""
    x, y = PAD, top
    for label, style in zip(labels, styles, strict=True):
        item = LEGEND_SWATCH + 6 + _text_width(label) + 18
        if x > PAD and x + item > canvas.width - PAD:
            x, y = PAD, y + LEGEND_ROW
        canvas.rect(x, y, LEGEND_SWATCH, LEGEND_SWATCH, class_="chart-swatch", **style.fill())
        canvas.text(x + LEGEND_SWATCH + 6, y + 12, label, "start", class_="chart-legend")
        x += item
    return y + LEGEND_ROW


def _no_data(title, description, rtl, uid):
    canvas = _Canvas(MONTHLY_MIN_WIDTH, rtl, uid)
    canvas.text(MONTHLY_MIN_WIDTH / 2, 34, gettext("No data"), "middle", class_="chart-empty")
    return canvas.document(56, title, _join(description, gettext("No data")), kind="empty")


class _SeriesStyle:
    """Colour, outline and fill pattern of one series, cycling through SERIES_STYLES."""

    def __init__(self, index, uid):
        self.colour, self.kind = SERIES_STYLES[index % len(SERIES_STYLES)]
        self.pattern_id = f"{uid}-pattern-{index}"

    def fill(self):
        if self.kind == "solid":
            fill = self.colour
        elif self.kind == "outline":
            fill = "#ffffff"
        else:
            fill = f"url(#{self.pattern_id})"
        return {"fill": fill, "stroke": self.colour, "stroke_width": 1.5}

    def bar(self):
        return {"class_": "chart-bar", **self.fill()}

    def pattern(self):
        """The <pattern> element behind fill(), or "" for plain fills."""
        marks = {
            "hatch": '<path d="M0 0V6" stroke-width="2.5"/>',
            "cross": '<path d="M0 0V6M0 0H6" stroke-width="1.5"/>',
            "lines": '<path d="M0 3H6" stroke-width="2"/>',
            "dots": '<circle cx="3" cy="3" r="1.4" stroke="none" fill="{colour}"/>',
        }
        if self.kind not in marks:
            return ""
        rotate = ' patternTransform="rotate(45)"' if self.kind in ("hatch", "cross") else ""
        return (
            f'<pattern id="{self.pattern_id}" width="6" height="6" '
            f'patternUnits="userSpaceOnUse"{rotate}>'
            f'<rect width="6" height="6" fill="#ffffff"/>'
            f'<g stroke="{self.colour}">{marks[self.kind].format(colour=self.colour)}</g>'
            "</pattern>"
        )


class _Canvas:
    """Collects SVG elements laid out left to right and mirrors them for right-to-left."""

    def __init__(self, width, rtl, uid):
        self.width = width
        self.rtl = rtl
        self.defs = []
        self.body = []
        self.uid = uid

    def x(self, x, width=0):
        return self.width - x - width if self.rtl else x

    def rect(self, x, y, width, height, **attrs):
        self.body.append(
            f"<rect{_attrs(x=self.x(x, width), y=y, width=width, height=height, **attrs)}/>"
        )

    def line(self, x1, y1, x2, y2, **attrs):
        self.body.append(f"<line{_attrs(x1=self.x(x1), y1=y1, x2=self.x(x2), y2=y2, **attrs)}/>")

    def text(self, x, y, content, anchor, **attrs):
        direction = "rtl" if self.rtl else "ltr"
        markup = _attrs(
            x=self.x(x), y=y, text_anchor=anchor, direction=direction, fill=INK, **attrs
        )
        self.body.append(f"<text{markup}>{escape(_clean(content))}</text>")

    def open_group(self, **attrs):
        self.body.append(f"<g{_attrs(**attrs)}>")

    def close_group(self):
        self.body.append("</g>")

    def document(self, height, title, desc, kind):
        uid = self.uid
        defs = "".join(self.defs)
        root = _attrs(
            xmlns=SVG_NAMESPACE,
            viewBox=f"0 0 {_number(self.width)} {_number(height)}",
            width="100%",
            role="img",
            aria_labelledby=f"{uid}-title",
            aria_describedby=f"{uid}-desc",
            class_=f"chart chart-{kind}",
            font_size=FONT_SIZE,
            direction="rtl" if self.rtl else "ltr",
        )
        markup = (
            f"<svg{root}>"
            f'<title id="{uid}-title">{escape(_clean(title))}</title>'
            f'<desc id="{uid}-desc">{escape(_clean(desc))}</desc>'
            + (f"<defs>{defs}</defs>" if defs else "")
            + "".join(self.body)
            + "</svg>"
        )
        return markup


def _uid(*content):
    """An id prefix that follows from the content: two different charts on one page never
    share one, and the same chart renders the same from one request to the next."""
    return "chart-" + hashlib.sha256(repr(content).encode()).hexdigest()[:10]


def _suppressed(colour):
    return {
        "class_": "chart-bar chart-bar-suppressed",
        "fill": "none",
        "stroke": colour,
        "stroke_width": 1.5,
        "stroke_dasharray": SUPPRESSED_DASH,
    }


def _attrs(**attrs):
    """` name="value"` pairs, escaped; class_ → class, aria_labelledby → aria-labelledby."""
    parts = []
    for name, value in attrs.items():
        name = name.rstrip("_").replace("_", "-")
        text = _number(value) if isinstance(value, int | float) else str(value)
        parts.append(f' {name}="{escape(text)}"')
    return "".join(parts)


def _number(value):
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _count(value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"A count must be a whole number, zero or more, or None: {value!r}")
    return value


def _shown(value, shown):
    text = _clean(shown)
    if text:
        return text
    return "—" if value is None else str(value)


def _clean(text):
    return NOT_XML.sub("", str(text or "")).strip()


def _join(*parts):
    return " ".join(part for part in (_clean(part) for part in parts) if part)


def _is_rtl(direction):
    if direction not in ("ltr", "rtl"):
        raise ValueError(f'direction must be "ltr" or "rtl", not {direction!r}')
    return direction == "rtl"


def _text_width(text, size=FONT_SIZE):
    """A generous estimate of rendered width: wide East Asian characters take a full em."""
    return size * sum(_EM_WIDTHS.get(char, _em_width(char)) for char in text)


_EM_WIDTHS = dict.fromkeys("0123456789", 0.56)  # tabular figures in common sans-serif faces


def _em_width(char):
    if unicodedata.combining(char):
        return 0
    return 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.6
