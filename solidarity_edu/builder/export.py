"""Export one executed lesson (one audience) to every format: slides, handout (worksheet), reader, guide,
student notebook.

Every format is derived from the same executed notebook; nothing is executed again here. The handout
is the exception that proves the rule: it is designed from the lesson model alone (parts, prompts,
vocabulary, sources), never from a cell's output, so the build writes it from the lesson's source before
the kernel runs (``write_handout``) and Chromium prints it while the lesson executes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .. import __version__, pagestyle
from ..deck import DeckPlan
from ..lesson import LessonModel, lesson_key
from . import assets
from .bibliography import csl_json, expand_sources
from .guide import guide_notebook, guide_sections, rubric_html
from .handout import DEFAULT_PAPER, PAPER_SIZES, handout_html
from .lesson_plan import expand_parts
from .outputs import render_outputs, vega_runtime
from .paper import PRINTED_FOR_STUDENTS, check_paper_text
from .transforms import clear_widget_state, mark_slides, select_cells, student_copy

TEMPLATES = Path(__file__).parent / "templates"

KIND_LABELS = {"worksheet": "Worksheet", "guide": "Teacher guide", "slides": "Slides", "reading": "Reader"}


@dataclass(frozen=True)
class LessonContext:
    """What the templates print about a lesson, besides its cells."""

    course_title: str
    lesson_id: str
    lesson_title: str
    audience: str
    audience_label: str
    duration: int
    language: str = "en"
    course_audiences: tuple[str, ...] = ()  # every audience of the course (for-... tags name them)
    paper: str = DEFAULT_PAPER  # letter or a4: the page size of the printed pages
    standards: tuple = ()  # the lesson's standards (solidarity_edu.standards.Standard), for the guide
    data_dir: Path = Path("data")

    @property
    def number(self) -> str:
        return lesson_key(self.lesson_id)


def _without_soup(exporter_class):
    """``exporter_class`` (nbconvert's HTML or slides exporter) without its last step.

    nbconvert's HTMLExporter parses every page it made with BeautifulSoup, to give ``<img>`` tags
    without ``alt`` a placeholder text and to make ``.jp-Notebook`` cells focusable, and writes the page
    out again. Our templates have no ``.jp-Notebook`` and our pages no ``<img>`` (charts are inline SVG
    with their description; the accessibility tests run axe, whose image-alt rule fails on any image
    without a text), so the pass changed nothing but cost a quarter of a second per page: a fifth of a
    cold build's time. This class renders the template as nbconvert's own TemplateExporter does."""
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class Exporter(exporter_class):
        def from_notebook_node(self, nb, resources=None, **kw):
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            data_types = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources)
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", data_types)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

        def _validate_preprocessor(self, nbc, preprocessor):
            """nbconvert checks the whole notebook against the schema after every preprocessor (a
            tenth of a cold build's export time). The lesson was checked when it was read, the kernel's
            outputs when papermill wrote them, and ours only take cells and outputs away; the student
            copy is still checked when it is written. So this pass is left out."""

    return Exporter


def _exporter(exporter_class, template_name: str):
    """One of our nbconvert exporters: our template, no code or prompts shown, no BeautifulSoup pass,
    and ``tr("...")`` in its templates (the page's own words in the language being built; see
    solidarity_edu.i18n, which the build sets per language)."""
    from ..i18n import tr

    exporter = _without_soup(exporter_class)(
        template_name=template_name,
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.environment.globals["tr"] = tr
    return exporter


@functools.lru_cache(maxsize=1)
def _page_exporter():
    from nbconvert import HTMLExporter

    return _exporter(HTMLExporter, "se_page")


@functools.lru_cache(maxsize=1)
def _slides_exporter():
    from nbconvert import SlidesExporter

    return _exporter(SlidesExporter, "se_slides")


def _resources(ctx: LessonContext, kind: str) -> dict:
    se = {
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "version": __version__,
        "course_title": ctx.course_title,
        "lesson_id": ctx.lesson_id,
        "lesson_title": ctx.lesson_title,
        "lesson_number": ctx.number,
        "audience_label": ctx.audience_label,
        "duration": ctx.duration,
        "language": ctx.language,
        "fonts_css": assets.fonts_css(),
        "paper": ctx.paper,
    }
    if kind == "slides":
        se.update(
            reveal_css=assets.text("vendor", "reveal", "reveal.css"),
            reveal_theme_css=assets.text("vendor", "reveal", "theme-white.css"),
            slides_css=pagestyle.root_css() + "\n" + assets.text("slides.css"),
            reveal_js=assets.text("vendor", "reveal", "reveal.js"),
            notes_js=assets.text("vendor", "reveal", "notes.js"),
            unclutter_js=assets.text("unclutter.js"),
        )
    else:
        se["page_css"] = (
            pagestyle.root_css() + "\n" + assets.text("page.css") + f"\n@page {{ size: {PAPER_SIZES[ctx.paper]}; }}"
        )
        if kind == "guide":
            se["page_css"] += "\n" + assets.text("guide.css")
    return {"se": se, "metadata": {"name": ctx.lesson_title}}


def page_html(executed: nbformat.NotebookNode, ctx: LessonContext, kind: str) -> str:
    """The reader or the teacher guide as one printable HTML page, made from the cells the format keeps."""
    nb = select_cells(executed, kind, ctx.audience)
    nb, _ = render_outputs(clear_widget_state(nb), "static", ctx.lesson_id)
    body, _ = _page_exporter().from_notebook_node(nb, resources=_resources(ctx, kind))
    return body


def guide_html(executed: nbformat.NotebookNode, ctx: LessonContext, model: LessonModel, slides: str) -> str:
    """The teacher guide: at a glance and the procedure (whose slide numbers are read from ``slides``,
    the deck this build made), the lesson with its notes, the answer key and rubric, the full sources."""
    audiences = ctx.course_audiences or (ctx.audience,)
    front, back = guide_sections(
        model,
        lesson_title=ctx.lesson_title,
        lesson_number=ctx.number,
        audience=ctx.audience,
        audience_label=ctx.audience_label,
        duration=ctx.duration,
        course_audiences=audiences,
        slides_html=slides,
        standards=list(ctx.standards),
        data_dir=ctx.data_dir,
        rubric_html=rubric_html(),
    )
    nb = guide_notebook(expand_sources(executed, full=True), front, back)
    return page_html(nb, ctx, "guide")


def slides_html(executed: nbformat.NotebookNode, ctx: LessonContext, plan: DeckPlan) -> str:
    """reveal.js slides in one self-contained file, shaped by the deck ``plan`` (solidarity_edu.deck)."""
    nb = select_cells(executed, "slides", ctx.audience)
    nb, charts = render_outputs(clear_widget_state(nb), "interactive", ctx.lesson_id)
    nb = mark_slides(nb, plan)
    resources = _resources(ctx, "slides")
    resources["se"]["chart_runtime"] = vega_runtime() if charts else ""
    body, _ = _slides_exporter().from_notebook_node(nb, resources=resources)
    return body


def student_notebook(executed: nbformat.NotebookNode, ctx: LessonContext) -> str:
    """The notebook a student opens: no keys, no facilitator notes, no outputs."""
    nb = student_copy(executed, ctx.audience, ctx.language)
    nb.metadata["solidarity_edu"] = {"lesson": ctx.lesson_id, "audience": ctx.audience}
    return nbformat.writes(nb) + "\n"


def worksheet_html(model: LessonModel, ctx: LessonContext) -> str:
    """The handout (see builder/handout.py), designed from the lesson model, not from its cells."""
    audiences = ctx.course_audiences or (ctx.audience,)
    return handout_html(model, _resources(ctx, "worksheet")["se"], ctx.audience, audiences)


def write_handout(model: LessonModel, ctx: LessonContext, out_dir: Path) -> Path:
    """Write worksheet.html (the handout) into ``out_dir`` from the lesson ``model``, whether or not the
    lesson has run (the handout reads no outputs), and check it for screen-only words. Returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "worksheet.html"
    html = worksheet_html(model, ctx)
    check_paper_text(html, path)
    path.write_text(html, encoding="utf-8")
    return path


def export_all(
    executed: nbformat.NotebookNode, ctx: LessonContext, out_dir: Path, handout_written: bool = False
) -> list[Path]:
    """Write slides.html, worksheet.html (the handout), reading.html (the reader), guide.html,
    student.ipynb and sources.json into ``out_dir``. With ``handout_written``, worksheet.html is already
    there (``write_handout``, before the lesson ran) and is left alone: Chromium may be printing it.

    The ``sources`` cell becomes the full list in the guide and short citations everywhere a student
    looks; sources.json holds the same works as CSL JSON. Printed student pages (handout, reader) are
    checked for screen-only words (see solidarity_edu/printing.py)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    model = LessonModel.from_notebook(executed, ctx.lesson_id + ".ipynb")
    deck = DeckPlan(model, ctx.audience)  # before the parts cell becomes a table
    executed = expand_parts(executed, ctx.audience, ctx.audience_label, ctx.duration)
    for_students = expand_sources(executed, full=False)
    slides = slides_html(for_students, ctx, deck)
    files = {
        "slides.html": slides,
        "reading.html": page_html(expand_sources(executed, full=False, numbered=True), ctx, "reading"),
        "guide.html": guide_html(executed, ctx, model, slides),
        "student.ipynb": student_notebook(for_students, ctx),
        "sources.json": csl_json(LessonModel.from_notebook(executed), ctx.lesson_id),
    }
    for name in PRINTED_FOR_STUDENTS:
        if name in files:
            check_paper_text(files[name], out_dir / name)
    written = [out_dir / "worksheet.html" if handout_written else write_handout(model, ctx, out_dir)]
    for name, text in files.items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
