"""Charts drawn on the server as SVG (no script, no image library): bars with their labels,
values and a title, in whatever language the labels are given."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import attrs
from markupsafe import Markup, escape

WIDTH: Final = 640
ROW: Final = 28
LABEL_WIDTH: Final = 180
VALUE_WIDTH: Final = 70
FONT: Final = "'Noto Sans CJK SC','Noto Sans SC','PingFang SC','Microsoft YaHei',sans-serif"


@attrs.frozen
class Bar:
    """One bar: its ``label``, its ``value`` and the text shown beside it (``shown``)."""

    label: str
    value: float
    shown: str


def bar_chart(title: str, bars: Sequence[Bar], *, most: float | None = None) -> Markup:
    """A horizontal bar chart as inline SVG. Bars are scaled to ``most`` (default: the largest
    value); an empty chart says so in its title only."""
    top = most if most is not None else max((b.value for b in bars), default=0.0)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = 36 + ROW * len(bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-family="{FONT}" font-size="13">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-weight="bold">{escape(title)}</text>',
    ]
    for index, bar in enumerate(bars):
        y = 30 + index * ROW
        length = 0.0 if top <= 0 else max(0.0, min(1.0, bar.value / top)) * span
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end">{escape(bar.label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="{ROW - 10}" '
            f'fill="#8b1a1a"><title>{escape(bar.label)}: {escape(bar.shown)}</title></rect>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 16}">{escape(bar.shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
