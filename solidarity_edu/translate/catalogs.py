"""The PO catalogs: write the templates, make or refresh a language's catalogs, count their state.

Layout (what Poedit, Weblate and gettext expect)::

    locale/templates/<domain>.pot            English, written by `translate extract`; never edited
    locale/<lang>/LC_MESSAGES/<domain>.po    one language, edited by translators

Domains: one per lesson (its id, e.g. ``01-exclusion``: Markdown, parts and prompts), ``data`` (the
datasets' reader-facing text) and ``interface`` (the package's buttons and messages). ``<lang>`` is the gettext form of the language tag: ``vi``, ``zh_Hant``.

Nothing a translator wrote is ever dropped: when the English of a unit changes, ``update`` keeps the old
translation marked fuzzy (with the old English beside it, as ``#| msgid``) for the translator to check;
a unit whose context disappeared is kept at the end of the file as obsolete (``#~``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polib

from .. import __version__
from ..course import Course
from ..lesson import read_lesson
from .units import TranslationError, Unit, course_text_units, dataset_units, interface_units, lesson_units

log = logging.getLogger(__name__)

DATA_DOMAIN = "data"
COURSE_DOMAIN = "course"  # course.yaml's titles, summaries, audience labels and paths
INTERFACE_DOMAIN = "interface"  # the package's own words; see solidarity_edu.i18n
_LANGUAGE = re.compile(r"\A[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*\Z")
_WRAP = 100


def gettext_language(tag: str) -> str:
    """``zh-Hant`` -> ``zh_Hant`` (the folder name gettext tools use); ``vi`` stays ``vi``."""
    if not _LANGUAGE.match(tag or ""):
        raise TranslationError(f"{tag!r} is not a language tag; use a BCP 47 tag such as 'vi', 'zh-Hant', 'ko' or 'km'")
    return tag.replace("-", "_")


def templates_dir(locale: Path) -> Path:
    return locale / "templates"


def catalog_dir(locale: Path, language: str) -> Path:
    return locale / gettext_language(language) / "LC_MESSAGES"


def course_units(course: Course, data_dir: Path) -> dict[str, list[Unit]]:
    """Every domain of the course and its units, in course order."""
    domains: dict[str, list[Unit]] = {}
    for lesson in course.lessons:
        domains[lesson.id] = lesson_units(read_lesson(lesson.notebook))
    domains[COURSE_DOMAIN] = course_text_units(course)
    domains[DATA_DOMAIN] = dataset_units(data_dir)
    domains[INTERFACE_DOMAIN] = interface_units()
    return domains


def _header(domain: str, language: str | None) -> dict[str, str]:
    header = {
        "Project-Id-Version": f"solidarity-edu {__version__} ({domain})",
        "Report-Msgid-Bugs-To": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    if language:
        header["Language"] = gettext_language(language)
    return header


def _template(domain: str, units: Iterable[Unit]) -> polib.POFile:
    pot = polib.POFile(wrapwidth=_WRAP)
    pot.metadata = _header(domain, None)
    seen: set[tuple[str, str]] = set()
    for unit in units:
        key = (unit.context, unit.source)
        if key in seen:
            continue
        seen.add(key)
        comment = f"{unit.where}: {unit.note}" if unit.note else unit.where
        pot.append(polib.POEntry(msgctxt=unit.context, msgid=unit.source, msgstr="", comment=comment))
    return pot


def extract(course: Course, data_dir: Path, locale: Path) -> list[Path]:
    """Write ``locale/templates/<domain>.pot`` for every lesson and the datasets; returns the paths.

    Templates are made again from the notebooks every time: they are never edited by hand."""
    out = templates_dir(locale)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    domains = course_units(course, data_dir)
    for domain, units in domains.items():
        path = out / f"{domain}.pot"
        _template(domain, units).save(str(path))
        written.append(path)
    for stale in sorted(out.glob("*.pot")):
        if stale.stem not in domains:
            stale.unlink()
            log.info("removed %s: no such lesson in the course any more", stale)
    return written


def read_catalog(path: Path) -> polib.POFile:
    """A PO or POT file, or a TranslationError naming the file and the line that could not be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise TranslationError(f"{path}: cannot read the catalog ({err.strerror})") from err
    except UnicodeDecodeError as err:
        raise TranslationError(f"{path}: not UTF-8 text at byte {err.start}; save it as UTF-8 (Poedit does)") from err
    try:
        return polib.pofile(text, wrapwidth=_WRAP)
    except (OSError, ValueError) as err:  # polib reports a syntax error as OSError, with the line
        raise TranslationError(
            f"{path}: not a valid PO file ({err}); open it in Poedit, which shows the faulty line, or restore "
            "it from git"
        ) from err


def merge(old: polib.POFile | None, pot: polib.POFile, language: str) -> polib.POFile:
    """A language's catalog refreshed from the template: the template's units in its order, each with
    the translation it had; a unit whose English changed keeps its old translation marked fuzzy;
    translations whose context is gone are kept as obsolete at the end."""
    po = polib.POFile(wrapwidth=_WRAP)
    po.metadata = dict(old.metadata) if old is not None else {}
    po.metadata.update({k: v for k, v in _header("", language).items() if k not in po.metadata})
    po.metadata["Project-Id-Version"] = pot.metadata.get("Project-Id-Version", "")
    po.metadata["Language"] = gettext_language(language)
    exact: dict[tuple[str | None, str], polib.POEntry] = {}
    by_context: dict[str | None, list[polib.POEntry]] = {}
    for entry in old or []:
        if not entry.msgstr:
            continue
        exact[(entry.msgctxt, entry.msgid)] = entry
        by_context.setdefault(entry.msgctxt, []).append(entry)
    matched = {id(exact[k]) for k in ((ref.msgctxt, ref.msgid) for ref in pot) if k in exact}
    used: set[int] = set(matched)
    for ref in pot:
        entry = polib.POEntry(msgctxt=ref.msgctxt, msgid=ref.msgid, msgstr="", comment=ref.comment)
        before = exact.get((ref.msgctxt, ref.msgid))
        if before is not None:
            entry.msgstr = before.msgstr
            entry.tcomment = before.tcomment
            entry.flags = [f for f in before.flags if f == "fuzzy"]
            entry.previous_msgid = before.previous_msgid if "fuzzy" in before.flags else None
        else:
            candidates = [e for e in by_context.get(ref.msgctxt, []) if id(e) not in used]
            if len(candidates) == 1:  # one old sentence left in the same place: this one, changed
                old_entry = candidates[0]
                entry.msgstr = old_entry.msgstr
                entry.tcomment = old_entry.tcomment
                entry.flags = ["fuzzy"]
                entry.previous_msgid = old_entry.msgid
                used.add(id(old_entry))
        po.append(entry)
    for entry in old or []:
        if entry.msgstr and id(entry) not in used:
            gone = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=entry.msgstr, obsolete=True)
            po.append(gone)
    return po


def update(locale: Path, language: str) -> list[Path]:
    """Make or refresh ``locale/<lang>/LC_MESSAGES/<domain>.po`` from every template."""
    templates = sorted(templates_dir(locale).glob("*.pot"))
    if not templates:
        raise TranslationError(f"{templates_dir(locale)}: no templates; run `solidarity-edu translate extract` first")
    out = catalog_dir(locale, language)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for template in templates:
        path = out / f"{template.stem}.po"
        old = read_catalog(path) if path.exists() else None
        merge(old, read_catalog(template), language).save(str(path))
        written.append(path)
    return written


@dataclass(frozen=True)
class CatalogStatus:
    """How far one catalog has got. ``fuzzy`` entries have a translation that needs checking."""

    language: str
    domain: str
    translated: int
    fuzzy: int
    untranslated: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def languages(locale: Path) -> list[str]:
    """The languages that have catalogs under locale/, as folder names (``vi``, ``zh_Hant``)."""
    if not locale.is_dir():
        return []
    return sorted(p.name for p in locale.iterdir() if (p / "LC_MESSAGES").is_dir())


def status(locale: Path, language: str | None = None) -> list[CatalogStatus]:
    """Translated / fuzzy / untranslated counts for every catalog of one language or of all of them.

    Counted against the templates, so a catalog not yet updated after the English changed shows the new
    units as untranslated, and a missing catalog counts as wholly untranslated."""
    templates = {p.stem: p for p in sorted(templates_dir(locale).glob("*.pot"))}
    wanted = [gettext_language(language)] if language else languages(locale)
    result = []
    for lang in wanted:
        folder = catalog_dir(locale, lang)
        for domain, template in templates.items():
            path = folder / f"{domain}.po"
            done = {}
            if path.exists():
                done = {(e.msgctxt, e.msgid): e for e in read_catalog(path) if not e.obsolete and e.msgstr}
            translated = fuzzy = untranslated = 0
            for ref in read_catalog(template):
                entry = done.get((ref.msgctxt, ref.msgid))
                if entry is None:
                    untranslated += 1
                elif "fuzzy" in entry.flags:
                    fuzzy += 1
                else:
                    translated += 1
            result.append(CatalogStatus(lang, domain, translated, fuzzy, untranslated))
    return result
