"""The cell-tag contract: which cells go into which output.

One source notebook per lesson; every output is made from it by filtering cells on these tags.
See README, "The cell-tag contract", for the table a lesson writer follows.
"""

from __future__ import annotations

# tag -> what it means, in a sentence for the lint message and the README.
TAGS: dict[str, str] = {
    "parameters": "papermill parameters (the audience); kept in student notebooks, hidden elsewhere",
    "facilitator": "facilitator notes, timing, care notes: speaker notes in slides, shown in the guide only",
    "answer-key": "model answers and discussion guidance: in the teacher guide and the slides' speaker notes",
    "prompt": "a question the learner answers in a widget; printed with ruled space on the worksheet",
    "content-note": "a content note before hard material; shown everywhere, styled as a notice",
    "transcription": "a public-domain document transcribed word for word (archive and copy named); shown everywhere, set like a posted notice",
    "slide": "starts a new slide",
    "subslide": "starts a new vertical slide",
    "fragment": "appears on the slide step by step",
    "skip": "left out of the slides",
    "hide-input": "code whose output matters: input collapsed for students, output only elsewhere",
    "remove-cell": "build-only plumbing: removed from every output",
    "print-only": "shown in the worksheet and guide only (e.g. a printed version of an interactive chart)",
    "screen-only": "left out of the worksheet and guide (e.g. an interactive-only activity)",
    "prompt-data": "a raw YAML cell: what a prompt says (question, options, answer, feedback); removed from every output",
    "organizer": "a raw YAML cell: a graphic organizer (T-chart, note boxes, timeline strip) the handout prints here",
    "primary-source": "a primary-source excerpt: printed whole (never split) on the handout and in the reader",
    "not-in-reader": "activity instructions or a scenario's outcome: left out of the reader (kept everywhere else)",
    "word-help": "word help for the primary source just above: printed with it on the handout",
    "parts": "a raw YAML cell: the lesson plan (parts, minutes per audience, grouping); the exports show it as a timing table",
    "sources": "a raw YAML cell: the works the lesson cites; the exports show them as a list of sources",
}

# Tags the build puts on cells it makes itself (never written in a lesson, so lint does not list them):
# "lesson-plan" (the timing table in the slides' notes), "lesson-sources" (the list of sources) and
# "guide-section" (the teacher guide's at-a-glance, procedure and answer-key sections, builder/guide.py).
AUDIENCE_TAG_PREFIX = "for-"
INJECTED_PARAMETERS = "injected-parameters"  # added by papermill during execution

# How a chart reaches the notebook: Vega-Lite JSON under the v5 MIME type, which JupyterLab 4 draws
# offline with its built-in renderer. The spec's own $schema stays in the output metadata (CHART_META).
VEGA_LITE_MIME = "application/vnd.vegalite.v5+json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
CHART_META = "solidarity_edu_chart"
# Exercises put a static HTML form of themselves next to the live widget, marked with this class.
STATIC_FORM_CLASS = "se-static-form"

FORMATS = ("student", "worksheet", "slides", "guide", "reading")

# Which tagged cells each format drops entirely.
# Data cells (raw YAML) never reach an output as they are: the build turns the lesson plan and the
# sources into cells of their own before it selects, and student copies carry prompt data in metadata.
DATA_TAGS = {"prompt-data", "parts", "sources", "organizer"}
_REMOVED: dict[str, set[str]] = {
    "student": {"facilitator", "answer-key", "remove-cell", "print-only", *DATA_TAGS},
    "worksheet": {"parameters", "facilitator", "answer-key", "remove-cell", "screen-only", "skip", *DATA_TAGS},
    # Answer keys stay in the slides as speaker notes: the teacher reveals and discusses them.
    "slides": {"parameters", "remove-cell", "print-only", "skip", *DATA_TAGS},
    "guide": {"parameters", "remove-cell", "screen-only", *DATA_TAGS},
    # The reader: the lesson's text for paper, without prompts, keys, notes or screen instructions.
    "reading": {
        "parameters",
        "facilitator",
        "answer-key",
        "remove-cell",
        "screen-only",
        "prompt",
        "not-in-reader",
        *DATA_TAGS,
    },
}


def audience_tag(audience: str) -> str:
    """The tag that limits a cell to one audience, e.g. ``for-high-school``."""
    return f"{AUDIENCE_TAG_PREFIX}{audience}"


def cell_tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []) or [])


def keeps(cell: dict, fmt: str, audience: str) -> bool:
    """True when ``cell`` belongs in output ``fmt`` made for ``audience``."""
    tags = cell_tags(cell)
    if tags & _REMOVED[fmt] or INJECTED_PARAMETERS in tags:
        return False
    for_tags = {t for t in tags if t.startswith(AUDIENCE_TAG_PREFIX)}
    return not for_tags or audience_tag(audience) in for_tags


def known_tags(audiences: list[str] | tuple[str, ...]) -> set[str]:
    """Every tag a lesson may use, given the course's audiences."""
    return set(TAGS) | {audience_tag(a) for a in audiences}
