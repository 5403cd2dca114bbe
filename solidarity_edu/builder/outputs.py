"""Turn live outputs (charts, widgets) into what an export can show with no kernel and no network.

- Charts (Vega-Lite JSON) become either a static SVG drawn at build time by vl-convert (``static``:
  worksheets, guides, PDFs) or a placeholder that the inlined Vega runtime draws in the page
  (``interactive``: slides). Both carry the chart's text description for screen readers and print.
- Widgets lose their live view; the static form an exercise puts next to it (prompt + ruled space)
  stays. A widget with no static form is dropped.
- Warnings printed to stderr are dropped: they are for the lesson author, not the class.
"""

from __future__ import annotations

import functools
import html
import json
import re

import nbformat

from .. import pagestyle
from ..chart_themes import projection_spec
from ..errors import BuildError
from ..i18n import current_language, tr
from ..tags import CHART_META, VEGA_LITE_MIME, WIDGET_MIME
from .cache import cached_text
from .transforms import copy_notebook

_XML_DECL = re.compile(r"^<\?xml[^>]*>\s*")


@functools.lru_cache(maxsize=1)
def vega_runtime() -> str:
    """Vega, Vega-Lite and vega-embed as one script, from the vl-convert wheel (no network).

    The snippet draws every ``.se-chart`` placeholder on the page and marks it drawn."""
    import vl_convert

    snippet = """
window.vegaEmbed = vegaEmbed;
async function seDrawCharts() {
  for (const el of document.querySelectorAll('.se-chart[data-spec]')) {
    const spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
    const target = el.querySelector('.se-chart-canvas');
    await vegaEmbed(target, spec, {renderer: 'svg', actions: false});
    const svg = target.querySelector('svg');
    if (svg) { svg.setAttribute('role', 'img'); svg.setAttribute('aria-label', el.dataset.description); }
    el.dataset.rendered = 'true';
  }
  document.documentElement.dataset.chartsRendered = 'true';
}
window.seChartsReady = seDrawCharts();
"""
    # Bundling takes 1.5 s; the bundle changes only with vl-convert and the snippet.
    return cached_text(
        "vega-runtime", f"{vl_convert.__version__}\0{snippet}", lambda: vl_convert.javascript_bundle(snippet)
    )


def _chart_spec(output: dict, where: str) -> tuple[dict, str]:
    spec = dict(output["data"][VEGA_LITE_MIME])  # a new top level: the output itself is shared
    meta = output.get("metadata", {}).get(CHART_META, {})
    if meta.get("schema"):
        spec["$schema"] = meta["schema"]
    font = pagestyle.chart_font(current_language())
    if font != pagestyle.CHART_FONT:
        spec = _with_font(spec, font)
    description = str(spec.get("description") or "").strip()
    if not description:
        raise BuildError(
            f"{where}: a chart has no text description; build it with a solidarity_edu.charts function "
            "or pass description='One sentence saying what the chart shows' to alt.Chart"
        )
    return spec, description


def _with_font(spec: dict, font: str) -> dict:
    """``spec`` with every use of the English chart font (the theme's config) changed to ``font``."""
    config = dict(spec.get("config") or {})
    for key, value in list(config.items()):
        if value == pagestyle.CHART_FONT:
            config[key] = font
        elif isinstance(value, dict):
            config[key] = {k: (font if v == pagestyle.CHART_FONT else v) for k, v in value.items()}
    return {**spec, "config": config}


def _figure(inner: str, description: str, attrs: str = "") -> str:
    text = html.escape(description)
    label = html.escape(tr("Chart:"))
    return (
        f'<figure class="se-figure"{attrs}>{inner}'
        f'<figcaption class="se-chart-description"><span class="se-visually-label">{label} </span>'
        f"{text}</figcaption></figure>"
    )


@functools.lru_cache(maxsize=256)
def _svg(spec_json: str) -> str:
    """One chart drawn as SVG by vl-convert. Cached by spec: a chart shown in the worksheet and the
    guide of every audience is drawn once per build (drawing is a third of a lesson's export time)."""
    import vl_convert

    return cached_text(
        "svg",
        f"{vl_convert.__version__}\0{spec_json}",
        lambda: _XML_DECL.sub("", vl_convert.vegalite_to_svg(json.loads(spec_json))),
    )


def static_chart_html(spec: dict, description: str) -> str:
    """The chart as inline SVG (drawn by vl-convert), labelled with its description."""
    svg = _svg(json.dumps(spec, sort_keys=True, ensure_ascii=False))
    label = html.escape(description, quote=True)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    return _figure(f'<div class="se-chart se-chart-static">{svg}</div>', description)


def interactive_chart_html(spec: dict, description: str, number: int) -> str:
    """A placeholder the page's inlined Vega runtime draws into (see vega_runtime), with the chart in
    the projection theme (chart_themes.projection_spec: full width, text read from the back of the room)."""
    spec = projection_spec(spec)
    spec_id = f"se-chart-spec-{number}"
    data = json.dumps(spec, sort_keys=True, ensure_ascii=False).replace("</", "<\\/")
    label = html.escape(description, quote=True)
    inner = (
        f'<div class="se-chart" data-spec="{spec_id}" data-description="{label}">'
        f'<div class="se-chart-canvas"></div></div>'
        f'<script type="application/json" id="{spec_id}">{data}</script>'
    )
    return _figure(inner, description)


def render_outputs(nb: nbformat.NotebookNode, charts: str, lesson: str) -> tuple[nbformat.NotebookNode, int]:
    """Replace chart and widget outputs with export-ready HTML. ``charts`` is 'static' or 'interactive'.

    Returns the new notebook and the number of charts in it."""
    if charts not in {"static", "interactive"}:
        raise BuildError(f"charts must be 'static' or 'interactive', not {charts!r}")
    out = copy_notebook(nb)
    count = 0
    for cell in out.cells:
        if cell.cell_type != "code":
            continue
        where = f"{lesson}: cell {cell.metadata.get('source_cell', '?')}"
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                continue
            data = output.get("data")
            if data is None:
                kept.append(output)
                continue
            if VEGA_LITE_MIME in data:
                spec, description = _chart_spec(output, where)
                count += 1
                body = (
                    static_chart_html(spec, description)
                    if charts == "static"
                    else interactive_chart_html(spec, description, count)
                )
                output = nbformat.NotebookNode(
                    {**output, "data": {"text/html": body, "text/plain": description}, "metadata": {}}
                )
            elif WIDGET_MIME in data:
                if "text/html" not in data:
                    continue  # a live-only widget: nothing to show on paper
                output = nbformat.NotebookNode({**output, "data": {k: v for k, v in data.items() if k != WIDGET_MIME}})
            kept.append(output)
        cell.outputs = kept
    return out, count
