"""A learner's journal as a document they keep: Markdown, HTML or PDF. Everything they wrote is escaped.

Questions and choices are written in the learner's language (:func:`solidarity_edu.i18n.current_language`),
whatever language the lesson was in when they answered."""

from __future__ import annotations

import html
import time
from pathlib import Path
from typing import Any

from .errors import JournalError
from .journal import Entry, Journal
from .templating import render

TITLE = "My solidarity-edu journal"


def _lines(value: Any) -> list[str]:
    """An answer as plain lines: text as it is, a list numbered, a mapping as 'key: value'."""
    if isinstance(value, dict):
        return [f"{str(k).replace('_', ' ')}: {v}" for k, v in value.items()]
    if isinstance(value, list):
        return [f"{i}. {item}" for i, item in enumerate(value, start=1)]
    return str(value).splitlines() or [""]


def _in_language(entry: Entry) -> tuple[str, Any]:
    """The question and the answer of ``entry`` in the learner's language: choices, orders and scale
    items are kept in English in the journal (so they read back in any language) and shown translated
    here. An answer whose lesson is not found is shown as it was saved."""
    from .prompts import course_prompt
    from .translate.prompts import answer_in, prompt_in

    prompt = course_prompt(entry.prompt)
    if prompt is None:
        return entry.question or entry.prompt, entry.value
    return prompt_in(prompt).question, answer_in(prompt, entry.value)


def _md_escape(text: str) -> str:
    """Keep a learner's text from turning into Markdown or HTML when the file is rendered."""
    text = html.escape(text, quote=False)
    for char in "\\`*_[]#>|":
        text = text.replace(char, "\\" + char)
    return text


def _by_lesson(entries: list[Entry], escape_line: Any = None) -> list[tuple[str, list[dict]]]:
    """Entries grouped by lesson, in order, each with its answer as lines (escaped for Markdown if asked)."""
    grouped: list[tuple[str, list[dict]]] = []
    for entry in entries:
        if not grouped or grouped[-1][0] != entry.lesson:
            grouped.append((entry.lesson, []))
        question, value = _in_language(entry)
        lines = _lines(value)
        if escape_line is not None:
            lines, question = [escape_line(line) for line in lines], escape_line(question)
        grouped[-1][1].append(
            {"question": question, "prompt": entry.prompt, "saved_at": entry.saved_at, "lines": lines}
        )
    return grouped


def _exported() -> str:
    return time.strftime("%Y-%m-%d %H:%M")


def to_markdown(entries: list[Entry]) -> str:
    """The journal as Markdown: every answer's text kept as text (no headings or links from it)."""
    return render("journal.md.j2", title=TITLE, exported=_exported(), lessons=_by_lesson(entries, _md_escape))


def to_html(entries: list[Entry]) -> str:
    """The journal as one HTML page (also what the PDF is printed from); everything is escaped."""
    return render("journal.html.j2", title=TITLE, exported=_exported(), lessons=_by_lesson(entries))


def export(journal: Journal, fmt: str, output: Path) -> Path:
    """Write the latest version of every answer to ``output`` as md, html or pdf."""
    entries = journal.latest_answers() if journal.exists() else []
    if fmt == "md":
        output.write_text(to_markdown(entries), encoding="utf-8")
    elif fmt == "html":
        output.write_text(to_html(entries), encoding="utf-8")
    elif fmt == "pdf":
        import tempfile

        from .builder.pdf import print_pdfs

        with tempfile.TemporaryDirectory(prefix="solidarity-journal-") as tmp:
            page = Path(tmp) / "journal.html"
            page.write_text(to_html(entries), encoding="utf-8")
            print_pdfs([(page, output)])
    else:
        raise JournalError(f"unknown format {fmt!r}: use md, html or pdf")
    return output
