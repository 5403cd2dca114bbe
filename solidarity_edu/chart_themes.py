"""Themes for where a chart is shown, applied to a finished Vega-Lite spec (no Altair needed, so the
build can use it without importing the notebook helpers).

- :func:`projection_spec`: slides on a projector (full width, large text);
- the print theme is the spec as :mod:`solidarity_edu.charts` builds it (worksheets, guides, PDFs).
"""

from __future__ import annotations

import copy
from typing import Any

PROJECTION_WIDTH = 760  # plot width on a 1280x720 slide, leaving room for axis labels, names and margins
PROJECTION_TEXT = 20  # px: read from the back of a room (the slide is drawn at 1280x720, not scaled)
PROJECTION_HEIGHT = 250  # px of plot a chart slide has room for (under a heading, a line of text and a caption)
LABEL_LIMIT = 300  # px a name beside a mark may take (a 27-letter Vietnamese name of a law in 20 px bold)
PANELS_HEIGHT = 330  # px for all the panels of a chart made of several (facets, stacked panels)
MAP_HEIGHT = 400  # px for a map: its shape fixes its width, so only height makes it readable; legend beside it
PANEL_LEGEND_LABELS = 330  # px a legend label may take beside stacked panels ("Anti-South-Asian, Anti-Islamic")
PANEL_HEADER = 34  # px each panel's title takes


def _panels(spec: dict) -> int:
    """How many panels a chart stacks vertically (1 for a single or layered chart)."""
    if isinstance(spec.get("vconcat"), list):
        return len(spec["vconcat"])
    row = (spec.get("facet") or {}).get("row") if isinstance(spec.get("facet"), dict) else None
    if row and isinstance(row, dict) and "field" in row:
        rows = (spec.get("datasets") or {}).get((spec.get("data") or {}).get("name", ""), [])
        return max(1, len({r.get(row["field"]) for r in rows}))
    return 1


def _is_map(spec: dict) -> bool:
    """Whether the chart is drawn on a map projection (the camps map, the course map)."""
    found: list[bool] = []
    _walk(spec, lambda n: found.append(True) if "projection" in n else None)
    return bool(found)


_DATA_KEYS = frozenset({"datasets", "data", "config", "values"})


def _walk(node: Any, visit) -> None:
    """Call ``visit`` on every mapping of a spec, skipping its data (rows may have any keys)."""
    if isinstance(node, dict):
        visit(node)
        for key, value in node.items():
            if key not in _DATA_KEYS:
                _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)


def projection_spec(spec: dict) -> dict:
    """The same chart themed for a projector: plots span the slide's width, and every axis, legend,
    header, label and title is at least :data:`PROJECTION_TEXT` px. Data and encodings are unchanged,
    so the caption written from the data still describes it. Worksheet and guide charts keep the print
    theme (the spec as built)."""
    themed = copy.deepcopy(spec)
    top = themed.get("width") if isinstance(themed.get("width"), int | float) else None
    widths: list[float] = []
    _walk(themed, lambda n: widths.append(n["width"]) if isinstance(n.get("width"), int | float) else None)
    widest = max(widths or [top or PROJECTION_WIDTH])
    panels = _panels(themed)
    is_map = _is_map(themed)
    # Several panels or a map: legends go to the right, so the plot keeps the height it needs.
    beside = panels > 1 or is_map
    target = PROJECTION_WIDTH if panels == 1 else PROJECTION_WIDTH - 240  # a map's width is its height's
    scale = target / widest if widest else 1.0
    if is_map:
        tallest = MAP_HEIGHT
    else:
        tallest = PROJECTION_HEIGHT if panels == 1 else max(50, PANELS_HEIGHT // panels - PANEL_HEADER)

    def visit(node: dict) -> None:
        if isinstance(node.get("width"), int | float):
            node["width"] = round(node["width"] * scale)
        if isinstance(node.get("height"), int | float):
            grown = MAP_HEIGHT if is_map else round(node["height"] * min(scale, 1.25))
            node["height"] = min(grown, tallest)
        mark = node.get("mark")
        if isinstance(mark, dict):
            if mark.get("type") == "text":
                mark["fontSize"] = max(float(mark.get("fontSize", 0) or 0), PROJECTION_TEXT)
                if "limit" in mark:
                    mark["limit"] = LABEL_LIMIT
            elif isinstance(mark.get("size"), int | float):
                mark["size"] = round(mark["size"] * 1.8)
        y = (node.get("encoding") or {}).get("y") if isinstance(node.get("encoding"), dict) else None
        if panels > 1 and isinstance(y, dict) and y.get("title"):
            y["title"] = None  # short panels: a rotated "count" is taller than the panel; the caption says it
        header = node.get("header")
        if isinstance(header, dict):
            header["labelFontSize"] = max(header.get("labelFontSize", 0), PROJECTION_TEXT)
        legend = node.get("legend")
        if isinstance(legend, dict):
            if legend.get("columns"):
                legend["columns"] = min(legend["columns"], 4)
            if beside:
                legend["orient"] = "right"
                legend["columns"] = 1
                legend["labelLimit"] = PANEL_LEGEND_LABELS

    _walk(themed, visit)
    if panels > 1:
        themed["spacing"] = 8  # between stacked panels: their titles already separate them
    config = themed.setdefault("config", {})
    text = {"labelFontSize": PROJECTION_TEXT, "titleFontSize": PROJECTION_TEXT}
    config["axis"] = {**config.get("axis", {}), **text, "labelLimit": 360}
    if panels > 1:
        # Short panels: three values on a count axis, so 20 px labels never touch.
        config["axisY"] = {**config.get("axisY", {}), "tickCount": 2, "labelOverlap": True}
    config["legend"] = {**config.get("legend", {}), **text, "symbolSize": 240}
    config["legend"].setdefault("labelLimit", 480)
    config["legend"].setdefault("titleLimit", PANEL_LEGEND_LABELS)
    config["header"] = {**config.get("header", {}), **text}
    config["title"] = {**config.get("title", {}), "fontSize": PROJECTION_TEXT + 4}
    config["text"] = {**config.get("text", {}), "fontSize": PROJECTION_TEXT}
    return themed
