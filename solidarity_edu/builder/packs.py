"""Per-audience packs a teacher prints for the whole course: exports/<audience>/.

- ``handouts.pdf``: every lesson's handout (worksheet.pdf) in course order;
- ``readings.pdf``: every lesson's reader (reading.pdf) in course order;
- ``printables.zip``: both packs and every lesson's handout and reader as separate files.

In a pack each lesson starts on an odd page (a blank back is added after a lesson with an odd number
of pages), so a double-sided copy never prints two lessons on one sheet. Packs are made by joining the
PDFs the build already printed (pikepdf), not by printing again. The same PDFs give the same bytes.
"""

from __future__ import annotations

import io
import logging
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..course import Course
from ..errors import BuildError
from ..i18n import N_, tr

log = logging.getLogger("solidarity_edu.builder")
logging.getLogger("pikepdf").setLevel(logging.WARNING)  # not "C++ to Python logger bridge initialized"

# pack file -> (the lesson PDF it joins, what the index calls it)
PACKS = {"handouts.pdf": ("worksheet.pdf", N_("Handouts")), "readings.pdf": ("reading.pdf", N_("Readers"))}
ZIP_NAME = "printables.zip"
_ZIP_DATE = (2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class PackPart:
    """One lesson in a pack: its PDF, its page count and whether a blank back follows it."""

    lesson_id: str
    pdf: Path
    pages: int
    blank_after: bool


def pdf_pages(path: Path) -> int:
    """How many pages the PDF at ``path`` has (pikepdf). Raises BuildError naming the file when it
    cannot be read (print it again: ``solidarity-edu build --force``)."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            return len(pdf.pages)
    except (OSError, pikepdf.PdfError) as err:
        raise BuildError(f"{path}: cannot count its pages ({err}); build again with --force to print it anew") from err


def pack_parts(course: Course, exports: Path, audience: str, lesson_pdf: str) -> list[PackPart]:
    """The lessons (in course order) whose ``lesson_pdf`` was built for ``audience``."""
    parts = []
    missing = []
    for lesson in course.lessons:
        if audience not in lesson.audiences:
            continue
        path = exports / lesson.id / audience / lesson_pdf
        if not path.is_file():
            missing.append(lesson.id)
            continue
        pages = pdf_pages(path)
        parts.append(PackPart(lesson.id, path, pages, blank_after=pages % 2 == 1))
    if missing and parts:
        log.warning(
            "the %s pack of %s lacks %d lessons not built yet (%s ...): build them to complete it",
            audience,
            lesson_pdf,
            len(missing),
            missing[0],
        )
    return parts


def join_pdfs(parts: list[PackPart]) -> bytes:
    """The parts as one PDF, a blank page (the size of the part's last page) after each odd-length part.

    Joined with pikepdf (qpdf): a pack of ten lessons takes a twentieth of a second, where pypdf took
    half a second, most of a one-lesson rebuild's packs. The pack keeps the lessons' language (/Lang)
    and the same parts give the same bytes (the file id is made from the content)."""
    import pikepdf

    out = pikepdf.new()
    sources = []
    try:
        for part in parts:
            source = pikepdf.open(part.pdf)
            sources.append(source)
            out.pages.extend(source.pages)
            if part.blank_after:
                box = [float(x) for x in source.pages[-1].mediabox]
                out.add_blank_page(page_size=(box[2] - box[0], box[3] - box[1]))
        language = sources[0].Root.get("/Lang") if sources else None
        if language is not None:
            out.Root.Lang = pikepdf.String(str(language))
        out.docinfo["/Producer"] = pikepdf.String("solidarity-edu")
        out.docinfo["/Title"] = pikepdf.String("Course pack")
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True)
        return buffer.getvalue()
    finally:
        for source in sources:
            source.close()


def _write_if_changed(path: Path, data: bytes) -> None:
    """Write ``data`` unless the file holds it already; either way the file is now newer than its
    inputs, so the next build can see it is up to date (see _up_to_date)."""
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)
    else:
        os.utime(path)


def _up_to_date(outputs: list[Path], inputs: list[Path]) -> bool:
    """Every output exists and is newer than every input: joining the PDFs again would give the same
    bytes (a rebuild with nothing changed skips it: it took most of such a rebuild's time)."""
    if not inputs or not all(p.is_file() for p in outputs):
        return False
    oldest = min(p.stat().st_mtime_ns for p in outputs)
    return all(p.stat().st_mtime_ns <= oldest for p in inputs)


def make_packs(course: Course, exports: Path, paper: str = "letter") -> list[Path]:
    """Write every audience's packs and zip into exports/<audience>/; returns the files written."""
    written: list[Path] = []
    for audience in course.audiences:
        folder = exports / audience
        inputs = [
            exports / lesson.id / audience / lesson_pdf
            for lesson_pdf, _ in PACKS.values()
            for lesson in course.lessons
            if audience in lesson.audiences and (exports / lesson.id / audience / lesson_pdf).is_file()
        ]
        if _up_to_date([folder / pack for pack in PACKS] + [folder / ZIP_NAME], inputs):
            log.debug("packs for %s are up to date", audience)
            continue
        members: list[tuple[str, Path]] = []
        for pack, (lesson_pdf, _label) in PACKS.items():
            parts = pack_parts(course, exports, audience, lesson_pdf)
            if not parts:
                continue
            folder.mkdir(parents=True, exist_ok=True)
            try:
                data = join_pdfs(parts)
            except Exception as err:
                raise BuildError(f"{folder / pack}: could not join the lessons' PDFs: {err}") from err
            _write_if_changed(folder / pack, data)
            written.append(folder / pack)
            members.append((pack, folder / pack))
            members += [(f"{p.lesson_id}-{lesson_pdf}", p.pdf) for p in parts]
        if members:
            buffer = io.BytesIO()
            # PDFs are compressed already: storing them makes the same zip, a few per cent larger, in
            # a fraction of the time.
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
                for name, path in members:
                    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
                    info.compress_type = zipfile.ZIP_STORED
                    info.external_attr = 0o644 << 16
                    zf.writestr(info, path.read_bytes())
            _write_if_changed(folder / ZIP_NAME, buffer.getvalue())
            written.append(folder / ZIP_NAME)
        if members:
            log.info("packs for %s (%s): %s", audience, paper, ", ".join(p.name for p in written if p.parent == folder))
    return written


def pack_links(course: Course, exports: Path) -> list[dict]:
    """For the index: each audience's packs that exist, as {label, links: [{href, text}]}."""
    rows = []
    for audience, info in course.audiences.items():
        links = []
        for name, text in [*((pack, label) for pack, (_, label) in PACKS.items()), (ZIP_NAME, N_("All printables"))]:
            if (exports / audience / name).is_file():
                links.append(
                    {"href": f"{audience}/{name}", "text": tr("{label} ({file})").format(label=tr(text), file=name)}
                )
        if links:
            rows.append({"audience": audience, "label": info.label, "links": links})
    return rows
