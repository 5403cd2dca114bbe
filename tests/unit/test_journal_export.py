"""The learner's own journal export (md, html, pdf) and deletion; every kind of text stays text."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import require_tool

from solidarity_edu.journal import Journal
from solidarity_edu.journal_export import export, to_html, to_markdown

NASTY = {
    "06-script": "<script>alert('x')</script>",
    "06-img": "<img src=x onerror=alert(1)>",
    "06-rtl": "التضامن قوة ✊🏽 مرحبا",
    "06-empty": "",
    "06-long": "solidarity " * 20000,
    "06-md": "# not a heading *not bold* [link](http://x)",
}


@pytest.fixture()
def journal(tmp_path):
    j = Journal(tmp_path / "journal.sqlite3")
    for prompt, text in NASTY.items():
        j.save(prompt, text, question=f"Question <b>{prompt}</b>")
    j.save("09-plan", {"what": "<i>phone bank</i>", "risk": "Low"}, question="My action plan")
    j.save("01-order", ["1882", "1892"], question="Order")
    return j


def test_html_export_escapes_everything(journal):
    page = to_html(journal.latest_answers())
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page and "<b>06-script</b>" not in page and "<i>phone bank</i>" not in page
    assert NASTY["06-rtl"] in page and 'dir="auto"' in page
    assert page.count("solidarity") >= 20000


def test_markdown_export_keeps_text_as_text(journal):
    text = to_markdown(journal.latest_answers())
    assert "&lt;script&gt;" in text and "\\# not a heading \\*not bold\\* \\[link\\]" in text
    assert "what: &lt;i&gt;phone bank&lt;/i&gt;" in text and "1. 1882" in text


@pytest.mark.slow  # prints with chromium
def test_pdf_export_has_the_answers(journal, tmp_path):
    require_tool("pdftotext", "poppler-utils")
    pdf = export(journal, "pdf", tmp_path / "mine.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "<script>alert('x')</script>" in text  # shown as the words typed, not run
    assert "My solidarity-edu journal" in text


def _cli(*args, stdin="", env_journal=None):
    return subprocess.run(
        [sys.executable, "-m", "solidarity_edu.cli", "journal", "--journal", str(env_journal), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_delete_asks_first_and_keeps_the_journal_unless_confirmed(journal):
    result = _cli("delete", stdin="no\n", env_journal=journal.path)
    assert result.returncode == 1 and "Not deleted." in result.stderr and journal.path.exists()
    result = _cli("delete", stdin="", env_journal=journal.path)  # no terminal: never deletes
    assert result.returncode == 1 and journal.path.exists()
    result = _cli("delete", stdin="DELETE\n", env_journal=journal.path)
    assert result.returncode == 0 and not journal.path.exists()
    assert not journal.path.with_name(journal.path.name + "-wal").exists()


def test_export_command_writes_markdown(journal, tmp_path):
    out = tmp_path / "j.md"
    result = _cli("export", "--format", "md", "--output", str(out), env_journal=journal.path)
    assert result.returncode == 0, result.stderr
    assert "## Lesson 06" in out.read_text()
