"""A radar (spider) chart drawn server-side as SVG: no JavaScript, works with the Content-Security-Policy.

Only presentation attributes are used (no ``style=``), and every label is escaped. The page shows a table of
the same numbers next to it, for screen readers and for printing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#0d6efd", "#adb5bd", "#198754", "#dc3545")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Decimal | float | None]


def _point(cx: float, cy: float, radius: float, index: int, count: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def radar_svg(
    labels: Sequence[str], series: Sequence[Series], *, maximum: int = 4, size: int = 360, title: str = ""
) -> SafeString:
    """An SVG radar chart of ``series`` (the first is drawn on top) over ``labels`` on a 0..maximum scale."""
    count = len(labels)
    if count < 3:
        return mark_safe("")
    pad = 70
    width = size + 2 * pad
    height = size + 2 * pad - 20
    cx, cy = width / 2, height / 2
    radius = size / 2 - 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" class="radar-chart" '
        f'role="img" aria-labelledby="radar-title" width="100%" preserveAspectRatio="xMidYMid meet">',
        f'<title id="radar-title">{escape(title)}</title>',
    ]
    for level in range(1, maximum + 1):
        r = radius * level / maximum
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (_point(cx, cy, r, i, count) for i in range(count)))
        parts.append(f'<polygon points="{points}" fill="none" stroke="#dee2e6" stroke-width="1"/>')
        lx, ly = _point(cx, cy, r, 0, count)
        parts.append(f'<text x="{lx + 4:.1f}" y="{ly + 12:.1f}" font-size="11" fill="#6c757d">{level}</text>')
    for i, label in enumerate(labels):
        x, y = _point(cx, cy, radius, i, count)
        parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#dee2e6"/>')
        tx, ty = _point(cx, cy, radius + 18, i, count)
        anchor = "middle" if abs(tx - cx) < 5 else ("start" if tx > cx else "end")
        parts.append(
            f'<text x="{tx:.1f}" y="{ty + 4:.1f}" text-anchor="{anchor}" font-size="13" fill="#212529">'
            f"{escape(label)}</text>"
        )
    for n, s in reversed(list(enumerate(series))):
        colour = COLOURS[n % len(COLOURS)]
        pts = []
        for i, value in enumerate(s.values):
            v = float(value or 0)
            v = max(0.0, min(float(maximum), v))
            pts.append(_point(cx, cy, radius * v / maximum, i, count))
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        dash = ' stroke-dasharray="6 4"' if n else ""
        parts.append(
            f'<polygon points="{points}" fill="{colour}" fill-opacity="{0.25 if n == 0 else 0.1}" '
            f'stroke="{colour}" stroke-width="2"{dash} data-series="{escape(s.name)}"/>'
        )
        for x, y in pts:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
