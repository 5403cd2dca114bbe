"""A lesson's sources: the data cell, its checks, the lint rule on hosts, and what the exports make of it."""

from __future__ import annotations

import json

import nbformat
import pytest
from fixtures.make_course import lesson_cells, make_course, write_notebook

from solidarity_edu.builder.bibliography import csl_json, expand_sources, guide_markdown, short_markdown
from solidarity_edu.builder.transforms import student_copy
from solidarity_edu.course import load_course
from solidarity_edu.lesson import LessonModel, read_lesson
from solidarity_edu.lint import lint_lesson

md, raw = nbformat.v4.new_markdown_cell, nbformat.v4.new_raw_cell

HOSTS = """hosts:
  govinfo.gov: {class: government, reason: US Government Publishing Office}
  law.cornell.edu: {class: court, reason: Cornell LII publishes the opinions as issued}
  docslib.org: {class: weak, reason: document dump}
  staging.pbs.org: {class: weak, reason: a staging server}
  pbs.org: {class: press, reason: public broadcaster}
"""
GOOD = """- publisher: Supreme Court of the United States
  title: Zadvydas v. Davis
  citation: 533 U.S. 678 (2001)
  date: 2001-06-28
  url: https://www.law.cornell.edu/supct/html/99-7791.ZS.html
  type: legal_case
  group: Primary documents
  note: The majority read a time limit into the detention statute.
  read_at: [https://docslib.org/doc/1/zadvydas]
- author: [Jane Roe, Ann Doe]
  title: "An article: with a colon and $5"
  container: A Journal
  date: 2019
  type: article-journal
  group: Further reading
- publisher: US Congress
  title: An Act to execute certain treaty stipulations relating to Chinese
  citation: 22 Stat. 58
  date: 1882-05-06
  type: legislation
  group: Primary documents
"""
# 1-based number of the sources cell in lesson_cells(): the last cell.
SOURCES_CELL = len(lesson_cells("01"))


def _course(tmp_path, sources: str, extra: list | None = None, hosts: str = HOSTS):
    cells = lesson_cells("01")
    cells[-1].source = sources
    for cell in extra or []:
        cells.insert(5, cell)
    path = make_course(tmp_path, {"01-alpha": cells})
    (tmp_path / "data" / "source-hosts").mkdir()
    (tmp_path / "data" / "source-hosts" / "lessons.yaml").write_text(hosts, encoding="utf-8")
    return load_course(path)


def _lint(tmp_path, sources: str, extra: list | None = None) -> list[str]:
    course = _course(tmp_path, sources, extra)
    return [str(p) for p in lint_lesson(course.lessons[0].notebook, course)]


def test_sources_are_read_as_works(tmp_path):
    course = _course(tmp_path, GOOD)
    model = read_lesson(course.lessons[0].notebook)
    first, second, third = model.sources
    assert first.creator == "Supreme Court of the United States" and first.date == "2001-06-28"
    assert first.date_parts == [2001, 6, 28] and first.read_at == ("https://docslib.org/doc/1/zadvydas",)
    assert second.creator == "Jane Roe and Ann Doe" and second.year == "2019" and second.url == ""
    assert third.citation == "22 Stat. 58" and third.cell == SOURCES_CELL
    assert model.all_problems() == []


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("- {title: A, publisher: B, link: 'https://x.org'}", "source 1 ('A'): unknown key 'link'"),
        ("- {publisher: B}", "source 1: give the work's title"),
        ("- {title: A}", "source 1 ('A'): name who made the work: an author"),
        ("- {title: A, author: B, type: website}", "source 1 ('A'): type 'website' is not a CSL type"),
        ("- {title: A, author: B, date: 'June 2001'}", "source 1 ('A'): date 'June 2001' must be an ISO date"),
        ("- {title: A, author: B, url: 'www.x.org'}", "source 1 ('A'): url 'www.x.org' is not a web address"),
        ("- {title: A, author: B, read_at: 'x'}", "source 1 ('A'): read_at 'x' is not a web address"),
        ("title: A", "the 'sources' cell must hold a list of works"),
    ],
)
def test_each_mistake_in_a_source_names_file_cell_and_entry(tmp_path, entry, message):
    problems = _lint(tmp_path, entry)
    assert any(f"01-alpha.ipynb: cell {SOURCES_CELL}: {message}" in p for p in problems), problems


def test_well_cited_sources_lint_clean(tmp_path):
    assert _lint(tmp_path, GOOD) == []


def test_an_unlisted_host_is_reported_with_the_entry_and_the_fix(tmp_path):
    entry = "- {title: A, author: B, url: 'https://example.org/a', read_at: ['https://copies.net/a']}"
    problems = _lint(tmp_path, entry)
    assert any(
        f"cell {SOURCES_CELL}: source 1 ('A'): the host 'example.org' of url https://example.org/a is not in the "
        "source-quality list; add it to data/source-hosts/lessons.yaml" in p
        for p in problems
    ), problems
    assert any("the host 'copies.net' of read_at https://copies.net/a is not in the" in p for p in problems)


def test_a_weak_host_in_a_citation_a_reader_sees_fails(tmp_path):
    entry = GOOD + "- {title: Sentenced Home, publisher: PBS, url: 'https://staging.pbs.org/sentencedhome'}\n"
    problems = _lint(tmp_path, entry)
    assert [p for p in problems if "weak host" in p] == [
        f"{tmp_path}/notebooks/01-alpha.ipynb: cell {SOURCES_CELL}: source 4 ('Sentenced Home'): url "
        "https://staging.pbs.org/sentencedhome is on a weak host (staging.pbs.org: a staging server); cite the "
        "original work (its publisher, court or outlet) as url, or name it precisely in citation, and move this "
        "copy to read_at"
    ]


def test_a_weak_copy_under_read_at_is_allowed(tmp_path):
    entry = "- {title: A, author: B, url: 'https://www.govinfo.gov/a', read_at: ['https://docslib.org/doc/2']}"
    assert _lint(tmp_path, entry) == []


def test_a_lesson_whose_citations_are_all_weak_fails(tmp_path):
    entry = "- {title: A, author: B, read_at: ['https://docslib.org/doc/1', 'https://staging.pbs.org/x']}"
    problems = _lint(tmp_path, entry)
    assert any(
        f"cell {SOURCES_CELL}: every web address in the sources (2) is on a weak host: the lesson cites no work" in p
        for p in problems
    ), problems


def test_a_weak_link_in_the_lesson_text_fails(tmp_path):
    text = md("As [this copy](https://docslib.org/doc/7/report) shows, ... See also <https://pbs.org/ok>.")
    problems = _lint(tmp_path, GOOD, extra=[text])
    assert problems == [
        f"{tmp_path}/notebooks/01-alpha.ipynb: cell 6: links to https://docslib.org/doc/7/report, on a weak host "
        "(docslib.org: document dump); cite the original work in the 'sources' cell (keep this copy there under "
        "read_at) and remove the link here"
    ]


def test_a_lesson_without_a_sources_cell_is_reported(tmp_path):
    cells = lesson_cells("01")[:-1]
    path = make_course(tmp_path, {"01-alpha": cells})
    course = load_course(path)
    problems = [str(p) for p in lint_lesson(course.lessons[0].notebook, course)]
    assert any("missing the lesson's sources: a raw cell tagged 'sources'" in p for p in problems)


def test_two_sources_cells_are_reported(tmp_path):
    problems = _lint(tmp_path, GOOD, extra=[raw(GOOD, metadata={"tags": ["sources"]})])
    assert any(f"cell {SOURCES_CELL + 1}: a lesson has one 'sources' cell" in p for p in problems), problems


def _model(tmp_path) -> LessonModel:
    return read_lesson(_course(tmp_path, GOOD).lessons[0].notebook)


def test_the_guide_lists_every_work_grouped_with_its_original_address_and_never_read_at(tmp_path):
    text = guide_markdown(_model(tmp_path).sources)
    assert text.startswith("## Sources")
    assert "### Primary documents" in text and "### Further reading" in text
    assert "Supreme Court of the United States, *Zadvydas v. Davis*, 533 U.S. 678 (2001) (June 28, 2001). " in text
    assert "<https://www.law.cornell.edu/supct/html/99-7791.ZS.html>" in text
    assert "Jane Roe and Ann Doe, “An article: with a colon and \\$5”, *A Journal* (2019)." in text
    assert "*Used for:* The majority read a time limit into the detention statute." in text
    assert "docslib" not in text


def test_students_get_short_citations_without_addresses(tmp_path):
    cells = short_markdown(_model(tmp_path).sources)
    assert [c.splitlines()[0] for c in cells] == ["## Sources: Primary documents", "## Sources: Further reading"]
    assert "- Supreme Court of the United States, *Zadvydas v. Davis* (2001)" in cells[0]
    assert "- US Congress, An Act to execute certain treaty stipulations relating to Chinese (1882)" in cells[0]
    assert not any("http" in c or "Used for" in c for c in cells)


def test_every_export_replaces_the_sources_cell(tmp_path):
    course = _course(tmp_path, GOOD)
    nb = nbformat.read(course.lessons[0].notebook, as_version=4)
    guide = expand_sources(nb, full=True)
    assert not any("sources" in (c.metadata.get("tags") or []) for c in guide.cells)
    assert sum("lesson-sources" in (c.metadata.get("tags") or []) for c in guide.cells) == 1
    student = student_copy(nb, "high-school")
    text = "\n".join(c.source for c in student.cells if c.cell_type == "markdown")
    assert "## Sources: Primary documents" in text and "http" not in text.split("## Sources")[1]
    assert all(c.cell_type != "raw" for c in student.cells)


# The item types of CSL 1.0.2 (https://docs.citationstyles.org/en/stable/specification.html#appendix-iii-types).
CSL_TYPES = set(
    [
        "article",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "bill",
        "book",
        "broadcast",
        "chapter",
        "classic",
        "collection",
        "dataset",
        "document",
        "entry",
        "entry-dictionary",
        "entry-encyclopedia",
        "event",
        "figure",
        "graphic",
        "hearing",
        "interview",
        "legal_case",
        "legislation",
        "manuscript",
        "map",
        "motion_picture",
        "musical_score",
        "pamphlet",
        "paper-conference",
        "patent",
        "performance",
        "periodical",
        "personal_communication",
        "post",
        "post-weblog",
        "regulation",
        "report",
        "review",
        "review-book",
        "software",
        "song",
        "speech",
        "standard",
        "thesis",
        "treaty",
        "webpage",
    ]
)


def check_csl(items: list, guide: str) -> None:
    """CSL JSON a reference manager imports: required keys, known types, date-parts; the guide lists the
    same works."""
    assert isinstance(items, list) and items
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids)
    for item in items:
        assert {"id", "type", "title"} <= set(item), item
        assert item["type"] in CSL_TYPES, item
        assert "author" in item or "publisher" in item, item
        for name in item.get("author", []):
            assert set(name) <= {"literal", "family", "given"} and name
        if "issued" in item:
            parts = item["issued"]["date-parts"]
            assert len(parts) == 1 and 1 <= len(parts[0]) <= 3 and all(isinstance(n, int) for n in parts[0])
        if "URL" in item:
            assert item["URL"].startswith(("https://", "http://")) and item["URL"] in guide
    bullets = [line for line in guide.splitlines() if line.startswith("- ")]
    assert len(bullets) == len(items)
    for item in items:
        title = item["title"].replace("$", "\\$")
        assert sum(title in bullet for bullet in bullets) >= 1, title


def test_sources_json_is_csl_and_matches_the_guide(tmp_path):
    model = _model(tmp_path)
    items = json.loads(csl_json(model, "01-alpha"))
    check_csl(items, guide_markdown(model.sources))
    case = items[0]
    assert case["id"] == "01-alpha-01" and case["type"] == "legal_case"
    assert case["volume"] == "533" and case["container-title"] == "U.S." and case["page"] == "678"
    assert case["issued"] == {"date-parts": [[2001, 6, 28]]}
    assert "docslib" not in json.dumps(items)
    assert items[1]["author"] == [{"literal": "Jane Roe"}, {"literal": "Ann Doe"}]


def test_every_lesson_of_the_course_gives_valid_csl_and_a_matching_guide(root):
    course = load_course(root / "notebooks" / "course.yaml")
    for lesson in course.lessons:
        model = read_lesson(lesson.notebook)
        assert model.sources, lesson.id
        check_csl(json.loads(csl_json(model, lesson.id)), guide_markdown(model.sources))
        for cell in short_markdown(model.sources):
            assert "http" not in cell, lesson.id


def test_write_notebook_roundtrip_keeps_the_raw_cell(tmp_path):
    cells = [raw(GOOD, metadata={"tags": ["sources"]})]
    write_notebook(tmp_path / "x.ipynb", cells)
    assert len(LessonModel.from_notebook(nbformat.read(tmp_path / "x.ipynb", as_version=4), "01-x").sources) == 3
