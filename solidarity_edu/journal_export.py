"""A learner's journal as a document they keep: Markdown, HTML or PDF. Everything they wrote is escaped."""

from __future__ import annotations

import html
import time
from pathlib import Path
from typing import Any

from .journal import Entry, Journal

TITLE = "My solidarity-edu journal"


def _lines(value: Any) -> list[str]:
    """An answer as plain lines: text as it is, a list numbered, a mapping as 'key: value'."""
    if isinstance(value, dict):
        return [f"{str(k).replace('_', ' ')}: {v}" for k, v in value.items()]
    if isinstance(value, list):
        return [f"{i}. {item}" for i, item in enumerate(value, start=1)]
    return str(value).splitlines() or [""]


def _md_escape(text: str) -> str:
    """Keep a learner's text from turning into Markdown or HTML when the file is rendered."""
    text = html.escape(text, quote=False)
    for char in "\\`*_[]#>|":
        text = text.replace(char, "\\" + char)
    return text


def to_markdown(entries: list[Entry]) -> str:
    parts = [f"# {TITLE}", "", f"Exported {time.strftime('%Y-%m-%d %H:%M')}. This file holds only what you wrote.", ""]
    lesson = None
    for entry in entries:
        if entry.lesson != lesson:
            lesson = entry.lesson
            parts += [f"## Lesson {lesson}", ""]
        parts += [
            f"### {_md_escape(entry.question or entry.prompt)}",
            "",
            f"*{entry.prompt}, saved {entry.saved_at}*",
            "",
        ]
        parts += [_md_escape(line) + "  " for line in _lines(entry.value)] + [""]
    if not entries:
        parts.append("Your journal is empty.")
    return "\n".join(parts) + "\n"


_CSS = """
html{font-family:"Atkinson Hyperlegible","DejaVu Sans",sans-serif;font-size:11pt;line-height:1.45;color:#1a1a1a}
body{max-width:46rem;margin:0 auto;padding:1rem} h1,h2{color:#1f4e79} h3{margin-bottom:.2rem}
.meta{color:#555;font-size:.9rem;margin-top:0} .answer{white-space:pre-wrap;overflow-wrap:anywhere;
border-left:4px solid #1f4e79;padding:.2rem .8rem;background:#f6f8fb} @page{size:Letter;margin:16mm}
"""


def to_html(entries: list[Entry]) -> str:
    e = html.escape
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(TITLE)}</title><style>{_CSS}</style></head><body><main>",
        f"<h1>{e(TITLE)}</h1>",
        f'<p class="meta">Exported {e(time.strftime("%Y-%m-%d %H:%M"))}. This file holds only what you wrote.</p>',
    ]
    lesson = None
    for entry in entries:
        if entry.lesson != lesson:
            lesson = entry.lesson
            parts.append(f"<h2>Lesson {e(lesson)}</h2>")
        parts.append(f"<section><h3>{e(entry.question or entry.prompt)}</h3>")
        parts.append(f'<p class="meta">{e(entry.prompt)}, saved {e(entry.saved_at)}</p>')
        parts.append(f'<div class="answer" dir="auto">{e(chr(10).join(_lines(entry.value)))}</div></section>')
    if not entries:
        parts.append("<p>Your journal is empty.</p>")
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


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
        raise ValueError(f"unknown format {fmt!r}: use md, html or pdf")
    return output
