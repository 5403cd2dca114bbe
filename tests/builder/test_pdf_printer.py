"""The PDF printer: a page that has not changed keeps its PDF; a page taken back is never written."""

from __future__ import annotations

import json
import subprocess

import pytest
from conftest import require_tool

from solidarity_edu.builder.pdf import PdfPrinter, PrintRecord


def _page(path, words: str):
    path.write_text(f"<!doctype html><html><body><h1>{words}</h1></body></html>", encoding="utf-8")
    return path


def _text(pdf) -> str:
    require_tool("pdftotext", "poppler-utils")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _print(pages, record_path, reprint: bool = False) -> PdfPrinter:
    printer = PdfPrinter(threads=1, record=PrintRecord(record_path, record_path.parent), reprint=reprint)
    for html in pages:
        printer.submit(html, html.with_suffix(".pdf"))
    printer.close()
    return printer


@pytest.fixture
def pages(tmp_path):
    require_tool("chromium", "chromium")
    return _page(tmp_path / "handout.html", "Handout words"), _page(tmp_path / "reader.html", "Reader words")


def test_an_unchanged_page_keeps_its_pdf_and_a_changed_one_is_printed_again(pages, tmp_path):
    handout, reader = pages
    record = tmp_path / "printed.json"
    assert _print(pages, record).kept == 0
    kept_stamp = handout.with_suffix(".pdf").stat().st_mtime_ns
    assert json.loads(record.read_text()).keys() == {"handout.pdf", "reader.pdf"}

    _page(reader, "Reader words, corrected")
    again = _print(pages, record)
    assert again.kept == 1
    assert handout.with_suffix(".pdf").stat().st_mtime_ns == kept_stamp
    assert "corrected" in _text(reader.with_suffix(".pdf"))


def test_reprint_a_pdf_changed_by_hand_and_a_damaged_record_print_everything(pages, tmp_path):
    handout, _reader = pages
    record = tmp_path / "printed.json"
    _print(pages, record)
    assert _print(pages, record, reprint=True).kept == 0  # build --force

    handout.with_suffix(".pdf").write_bytes(b"not the PDF the build printed")
    touched = _print(pages, record)
    assert touched.kept == 1  # the reader only
    assert "Handout words" in _text(handout.with_suffix(".pdf"))

    record.write_text("{ not json", encoding="utf-8")
    assert _print(pages, record).kept == 0
    assert len(json.loads(record.read_text())) == 2


def test_a_withdrawn_page_is_never_written_and_is_forgotten(pages, tmp_path):
    handout, reader = pages
    record = tmp_path / "printed.json"
    _print(pages, record)
    printer = PdfPrinter(threads=1, record=PrintRecord(record, tmp_path))
    for html in pages:
        printer.submit(html, html.with_suffix(".pdf"))  # both unchanged: kept, not queued
    _page(handout, "Handout of a lesson that then failed")
    printer.submit(handout, handout.with_suffix(".pdf"))
    printer.withdraw(handout.with_suffix(".pdf"))  # before or after Chromium printed it: either way gone
    printer.close()
    assert not handout.with_suffix(".pdf").exists()
    assert json.loads(record.read_text()).keys() == {"reader.pdf"}
    assert reader.with_suffix(".pdf").is_file()


def test_a_page_removed_after_it_is_withdrawn_is_not_an_error(pages, tmp_path):
    """A failing lesson's handout is withdrawn and then deleted with its other outputs, perhaps before
    Chromium reaches it, perhaps while Chromium reads it: the build's printing must not fail for it (a
    build once ended with 'Chromium could not print' because of this)."""
    handout, reader = pages
    printer = PdfPrinter(threads=1, record=PrintRecord(tmp_path / "printed.json", tmp_path))
    printer.submit(handout, handout.with_suffix(".pdf"))
    printer.submit(reader, reader.with_suffix(".pdf"))
    printer.withdraw(handout.with_suffix(".pdf"))
    handout.unlink()
    printer.close()  # raises BuildError if the removed page was reported
    assert not handout.with_suffix(".pdf").exists()
    assert "Reader words" in _text(reader.with_suffix(".pdf"))
