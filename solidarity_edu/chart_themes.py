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
    scale = PROJECTION_WIDTH / widest if widest else 1.0

    def visit(node: dict) -> None:
        if isinstance(node.get("width"), int | float):
            node["width"] = round(node["width"] * scale)
        if isinstance(node.get("height"), int | float):
            node["height"] = round(node["height"] * min(scale, 1.25))
        mark = node.get("mark")
        if isinstance(mark, dict):
            if mark.get("type") == "text":
                mark["fontSize"] = max(float(mark.get("fontSize", 0) or 0), PROJECTION_TEXT)
                if "limit" in mark:
                    mark["limit"] = min(round(mark["limit"] * scale), 240)
            elif isinstance(mark.get("size"), int | float):
                mark["size"] = round(mark["size"] * 1.8)
        header = node.get("header")
        if isinstance(header, dict):
            header["labelFontSize"] = max(header.get("labelFontSize", 0), PROJECTION_TEXT)
        legend = node.get("legend")
        if isinstance(legend, dict) and legend.get("columns"):
            legend["columns"] = min(legend["columns"], 4)

    _walk(themed, visit)
    config = themed.setdefault("config", {})
    text = {"labelFontSize": PROJECTION_TEXT, "titleFontSize": PROJECTION_TEXT}
    config["axis"] = {**config.get("axis", {}), **text, "labelLimit": 360}
    config["legend"] = {**config.get("legend", {}), **text, "symbolSize": 240, "labelLimit": 480}
    config["header"] = {**config.get("header", {}), **text}
    config["title"] = {**config.get("title", {}), "fontSize": PROJECTION_TEXT + 4}
    config["text"] = {**config.get("text", {}), "fontSize": PROJECTION_TEXT}
    return themed
