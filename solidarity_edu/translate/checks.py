"""Checks on every translated string: what must survive translation unchanged, and the agreed terms.

For each unit with a translation (fuzzy ones included: a translator should see these problems before
confirming them):

- every number of the English is in the translation (years, dates, counts; thousands separators may
  follow the language: ``10,046`` may be written ``10.046``);
- every court case and cited work named in italics (``*Korematsu v. United States*``) is there as
  written (proper names a reader must be able to look up);
- every URL, and every placeholder (``{1}``: a link or inline HTML kept out of the translator's way), is
  there exactly;
- Markdown emphasis and code marks are balanced as in the English (``*``, ``_``, ````` ` `````);
- the translation is not the English left as it was (unless the unit is only names, numbers or marks);
- each agreed term (``locale/<lang>/terms.yaml``) is rendered as agreed wherever its English appears.

Problems name the catalog file and the line of the entry, as Poedit and editors show it.

And for each translated lesson, cell by cell (:func:`structure_problems`): the same headings, list items,
links, emphasis, tables and quotations as the English, so a translation cannot drop or add a part of
the page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..yamlfile import read_yaml
from .catalogs import read_catalog
from .units import TranslationError

# A number: digits, with thousands groups after one separator (10,046 / 10.046 / 10 046), so a date
# written in another order ("19, 1942" -> "1942 年 2 月 19 日") still shows each of its numbers.
# A decimal (2.1, or 2,1 in Vietnamese) counts as its digits, so "2.1 billion" may become "21 億".
_NUMBER = re.compile(r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?!\d)|\d+[.,]\d{1,2}(?!\d)|\d+")
_URL = re.compile(r"https?://[^\s)>\]\"']+")
_PLACEHOLDER = re.compile(r"\{\w+\}")  # {1} (Markdown links, HTML) and {time} (interface)
_MARKS = ("**", "`")
_WORD = re.compile(r"[^\W\d_]+")  # whole words in any script: Vietnamese "toàn" is not English "to"
# Where an agreed term is not a term: code (`...`, <code>...</code>) and the package's own name.
_NOT_PROSE = re.compile(r"`[^`\n]*`|<code>.*?</code>|\bsolidarity-edu\b", re.DOTALL)
_ITALIC = re.compile(r"(?<!\*)\*[^*\n]+\*(?!\*)")  # *Title of a cited work*: kept in English on purpose
# Words that are only English: their presence in a translation means a sentence was left untranslated.
_ENGLISH = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "is",
        "are",
        "was",
        "were",
        "that",
        "this",
        "with",
        "for",
        "from",
        "which",
        "who",
        "what",
        "when",
        "how",
        "their",
        "they",
        "have",
        "has",
        "not",
        "but",
        "about",
        "into",
        "after",
        "before",
        "because",
    ]
)


@dataclass(frozen=True)
class Term:
    """One agreed rendering: wherever ``english`` appears in a unit, ``rendering`` must be in its
    translation. ``note`` says why (e.g. "incarceration, not internment")."""

    english: str
    rendering: str
    note: str = ""

    def pattern(self) -> re.Pattern:
        """Whole words; a capitalised term (a name: ``Document`` as one of the 5Ds) matches only as
        written, a lower-case one (``refugee``) in any case."""
        flags = 0 if any(c.isupper() for c in self.english) else re.IGNORECASE
        return re.compile(rf"\b{re.escape(self.english)}\b", flags)


def _terms_used(english: str, terms: Iterable[Term]) -> list[Term]:
    """The terms that appear in ``english``, leaving out a term found only inside a longer one
    (``Asian American`` inside ``Southeast Asian American``, ``coalition`` inside ``Sikh Coalition``), and
    leaving out code and the package's name (``solidarity`` in ``solidarity-edu``)."""
    english = _NOT_PROSE.sub(lambda m: " " * len(m.group()), english)
    found = [(m.start(), m.end(), term) for term in terms for m in term.pattern().finditer(english)]
    used: dict[str, Term] = {}
    for start, end, term in found:
        inside = any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in found)
        if not inside:
            used.setdefault(term.english, term)
    return list(used.values())


NAME_NOTE = "a person's name stays as written; add your community's form after it if you like"


def _digits(text: str) -> Counter:
    return Counter(re.sub(r"\D", "", m) for m in _NUMBER.findall(text))


def _cited_names(english: str) -> list[str]:
    """The court cases and works the English names in italics (*Korematsu v. United States*, *Personal
    Justice Denied*): a reader must be able to find them, so they stay in English in every language."""
    names = []
    for span in _ITALIC.findall(english):
        text = span.strip("*").strip()
        capitals = sum(1 for word in text.split() if word[:1].isupper())
        if " v. " in text or text.startswith("Ex parte") or capitals >= 2:
            names.append(text)
    return names


def unit_problems(english: str, translated: str, terms: Iterable[Term] = ()) -> list[str]:
    """What is wrong with one translation of one English unit (an empty list when nothing is)."""
    problems = []
    missing = _digits(english) - _digits(translated)
    if missing:
        problems.append(f"number {sorted(missing)[0]} of the English is missing")
    for url in _URL.findall(english):
        if url not in translated:
            problems.append(f"URL {url} is missing or changed")
    if sorted(_PLACEHOLDER.findall(english)) != sorted(_PLACEHOLDER.findall(translated)):
        problems.append(
            f"placeholders differ: the English has {' '.join(_PLACEHOLDER.findall(english)) or 'none'}, "
            f"the translation {' '.join(_PLACEHOLDER.findall(translated)) or 'none'} (keep each {{n}} once)"
        )
    for cited in _cited_names(english):
        if cited not in translated:
            problems.append(f"the case or work *{cited}* must stay as it is (add a translation after it if you like)")
    for mark in _MARKS:
        if english.count(mark) != translated.count(mark):
            problems.append(f"the marks {mark!r} differ in number: the English has {english.count(mark)}")
    words = _WORD.findall(english)
    if translated.strip() == english.strip() and any(w.lower() in _ENGLISH for w in words):
        problems.append("the translation is the English text")
    else:
        kept = _ITALIC.sub(" ", translated)
        for quoted in re.findall(r'"([^"\n]+)"', english):  # a cited article's "Title", kept as it is
            kept = kept.replace(quoted, " ")
        left = sorted({w for w in _WORD.findall(kept) if w.lower() in _ENGLISH})
        if len(left) >= 3:
            problems.append(f"English words left in the translation: {', '.join(left)}")
    for term in _terms_used(english, terms):
        if term.note == NAME_NOTE and term.rendering not in translated:
            problems.append(f"the name {term.english!r} must stay as written ({NAME_NOTE})")
        elif term.rendering.lower() not in translated.lower():
            note = f" ({term.note})" if term.note else ""
            problems.append(f"{term.english!r} must be rendered {term.rendering!r}{note}")
    return problems


def load_terms(path: Path) -> list[Term]:
    """The terminology list of one language: a YAML list of ``{en, rendering, note, sources}``
    (``sources``: the pages where the community's own usage of the rendering was read)."""
    raw = read_yaml(path, TranslationError, "missing: the terminology list of this language") or []
    if not isinstance(raw, list):
        raise TranslationError(f"{path}: the terminology list must be a YAML list of entries with en and rendering")
    terms = []
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict) or not entry.get("en") or not entry.get("rendering"):
            raise TranslationError(f"{path}: entry {number} needs 'en' (the English term) and 'rendering'")
        unknown = sorted(set(entry) - {"en", "rendering", "note", "sources"})
        if unknown:
            raise TranslationError(
                f"{path}: entry {number} has unknown key {unknown[0]!r}; use en, rendering, note, sources"
            )
        terms.append(Term(str(entry["en"]), str(entry["rendering"]), str(entry.get("note") or "")))
    return terms


def load_names(path: Path) -> list[Term]:
    """People's names (locale/names.yaml, a YAML list of strings), as terms each rendered as itself."""
    raw = read_yaml(path, TranslationError, "missing: the list of people's names (locale/names.yaml)") or []
    if not isinstance(raw, list) or not all(isinstance(name, str) and name.strip() for name in raw):
        raise TranslationError(f"{path}: the list of names must be a YAML list of names, one per line ('- Name')")
    return [Term(name.strip(), name.strip(), NAME_NOTE) for name in raw]


def language_terms(locale: Path, folder_name: str) -> list[Term]:
    """What every translated string of one language must keep: its terminology list
    (locale/<lang>/terms.yaml) and the people's names shared by every language (locale/names.yaml)."""
    terms_path = locale / folder_name / "terms.yaml"
    names_path = locale / "names.yaml"
    terms = load_terms(terms_path) if terms_path.is_file() else []
    listed = {term.english for term in terms}
    names = [name for name in load_names(names_path) if name.english not in listed] if names_path.is_file() else []
    return terms + names


def catalog_problems(path: Path, terms: Iterable[Term] = ()) -> list[str]:
    """Every problem of every translated entry of one catalog, as ``file:line: context: problem``."""
    terms = list(terms)
    problems = []
    for entry in read_catalog(path):
        if entry.obsolete or not entry.msgstr:
            continue
        for problem in unit_problems(entry.msgid, entry.msgstr, terms):
            problems.append(f"{path}:{entry.linenum}: {entry.msgctxt}: {problem}")
    return problems


_STRUCTURE_TAGS = frozenset(
    [
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "a",
        "em",
        "strong",
        "code",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "img",
        "hr",
    ]
)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _STRUCTURE_TAGS:
            self.tags.append(tag)


def markdown_structure(markdown: str) -> list[str]:
    """The structural tags of a Markdown text as the exports render it, in order (h2, li, a, em ...)."""
    from nbconvert.filters.markdown import markdown2html

    parser = _Tags()
    parser.feed(markdown2html(markdown))
    return parser.tags


def structure_problems(english: Mapping, translated: Mapping, where: str) -> list[str]:
    """Cells of a translated lesson whose Markdown structure differs from the English, by cell id."""
    problems = []
    for before, after in zip(english.get("cells", []), translated.get("cells", []), strict=False):
        if before.get("cell_type") != "markdown":
            continue
        a, b = _source(before), _source(after)
        if a != b and markdown_structure(a) != markdown_structure(b):
            problems.append(
                f"{where}: cell {before.get('id')}: the structure differs from the English "
                f"({' '.join(markdown_structure(a))} / {' '.join(markdown_structure(b))}); keep headings, list "
                "items, links, emphasis and tables as they are"
            )
    return problems


def _source(cell: Mapping) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source
