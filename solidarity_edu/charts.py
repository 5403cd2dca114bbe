"""Chart builders for the lessons. Each returns an Altair chart (never displays it) with a text
description, in one theme with a colour-blind-safe palette.

Charts reach JupyterLab as Vega-Lite JSON under the v5 MIME type, which JupyterLab 4 draws with its
built-in renderer: no CDN, no extra extension, no JavaScript sent from the kernel. Altair 6 writes
Vega-Lite 6 specs; the charts built here only use features that Vega-Lite 5 draws the same way
(tests/unit/test_charts.py checks the specs). The build draws the same specs with vl-convert.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from .tags import CHART_META, VEGA_LITE_MIME

# Okabe & Ito's palette: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FONT = "Atkinson Hyperlegible, DejaVu Sans, sans-serif"
V5_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def _theme() -> dict:
    return {
        "config": {
            "font": FONT,
            "range": {"category": PALETTE},
            "view": {"stroke": None},
            "axis": {"labelFontSize": 13, "titleFontSize": 14, "labelLimit": 320},
            "legend": {"labelFontSize": 13, "titleFontSize": 14},
            "title": {"fontSize": 17, "anchor": "start"},
        }
    }


def _render(spec: dict, **_: Any) -> tuple[dict, dict]:
    """Altair renderer: Vega-Lite JSON that JupyterLab draws offline, plus a text fallback."""
    shown = dict(spec)
    shown["$schema"] = V5_SCHEMA
    description = spec.get("description", "")
    return (
        {VEGA_LITE_MIME: shown, "text/plain": f"Chart: {description}"},
        {CHART_META: {"schema": spec.get("$schema", "")}},
    )


alt.renderers.register("solidarity", _render)
alt.renderers.enable("solidarity")
alt.theme.register("solidarity", enable=True)(_theme)


def chart_description(chart: alt.TopLevelMixin) -> str:
    """The text description of a chart (for screen readers, print, and the tests)."""
    return str(chart.to_dict().get("description", ""))


def _require_description(description: str) -> str:
    if not description or not description.strip():
        raise ValueError("every chart needs description='One sentence saying what the chart shows'")
    return description.strip()


def bar_chart(
    frame: pd.DataFrame,
    category: str,
    value: str,
    description: str,
    title: str = "",
    color: str | None = None,
    value_title: str | None = None,
) -> alt.Chart:
    """A horizontal bar chart with values written at the end of each bar (meaning not by colour alone)."""
    description = _require_description(description)
    base = alt.Chart(frame, description=description, title=title or alt.Undefined).encode(
        y=alt.Y(f"{category}:N", sort=None, title=None),
        x=alt.X(f"{value}:Q", title=value_title or value.replace("_", " ")),
        tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{value}:Q")],
    )
    bars = (
        base.mark_bar(color=PALETTE[0])
        if color is None
        else base.mark_bar().encode(color=alt.Color(f"{color}:N", legend=alt.Legend(orient="bottom")))
    )
    labels = base.mark_text(align="left", dx=4, fontSize=13).encode(text=alt.Text(f"{value}:Q"))
    return (bars + labels).properties(width=560, description=description)


def course_map(audience: str = "high-school") -> alt.Chart:
    """The lessons of the course and how long each takes for ``audience`` (from course.yaml)."""
    from .course import load_course
    from .paths import course_file

    course = load_course(course_file())
    rows = [
        {"lesson": f"{lesson.id[:2]}. {lesson.title}", "minutes": lesson.duration_minutes.get(audience)}
        for lesson in course.lessons
        if audience in lesson.audiences
    ]
    label = course.audiences[audience].label if audience in course.audiences else audience
    return bar_chart(
        pd.DataFrame(rows),
        "lesson",
        "minutes",
        description=f"Bar chart of the course's {len(rows)} lesson{'s' if len(rows) != 1 else ''} in order, "
        f"with the minutes each takes for a {label.lower()} group.",
        title=f"The course: lessons and minutes ({label})",
        value_title="minutes",
    )
