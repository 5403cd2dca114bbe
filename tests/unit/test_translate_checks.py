"""The checks on translated strings catch what a translator can break, and pass good translations."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from solidarity_edu.translate.checks import Term, catalog_problems, load_terms, unit_problems
from solidarity_edu.translate.units import TranslationError

ENGLISH = "In 1882 Congress passed the Chinese Exclusion Act; see {1}. About 10,046 people lived at **Manzanar**."
GOOD_VI = "Năm 1882, Quốc hội thông qua Đạo luật Loại trừ Người Hoa; xem {1}. Khoảng 10.046 người sống ở **Manzanar**."


def test_a_good_translation_passes():
    assert unit_problems(ENGLISH, GOOD_VI) == []
    assert unit_problems("1942", "1942") == []  # only a number: the same text is right


@pytest.mark.parametrize(
    ("translated", "problem"),
    [
        (GOOD_VI.replace("1882", "1883"), "number 1882"),
        (GOOD_VI.replace("{1}", ""), "placeholders differ"),
        (GOOD_VI.replace("**Manzanar**", "Manzanar"), "'**'"),
        (ENGLISH, "the translation is the English text"),
        (GOOD_VI + " This part was left in the original and is not translated.", "English words left"),
    ],
)
def test_what_a_translator_can_break_is_caught(translated, problem):
    assert any(problem in p for p in unit_problems(ENGLISH, translated))


def test_urls_must_survive():
    english = "Read it at https://encyclopedia.densho.org/Manzanar/ today."
    assert unit_problems(english, "Đọc tại https://encyclopedia.densho.org/Manzanar/ hôm nay.") == []
    assert "URL" in unit_problems(english, "Đọc tại https://densho.org/ hôm nay.")[0]


def test_agreed_terms_are_applied_wherever_the_english_term_appears():
    terms = [Term("incarceration", "giam giữ", "incarceration, not internment")]
    english = "The incarceration of Japanese Americans began in 1942."
    assert unit_problems(english, "Việc giam giữ người Mỹ gốc Nhật bắt đầu năm 1942.", terms) == []
    problems = unit_problems(english, "Việc thực tập người Mỹ gốc Nhật bắt đầu năm 1942.", terms)
    assert problems == ["'incarceration' must be rendered 'giam giữ' (incarceration, not internment)"]


def test_catalog_problems_name_file_line_and_context(tmp_path):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgctxt="01-001", msgid="Passed in 1882.", msgstr="Thông qua năm 1883."))
    po.append(polib.POEntry(msgctxt="01-002", msgid="Untouched.", msgstr=""))
    path = tmp_path / "01-exclusion.po"
    po.save(str(path))
    problems = catalog_problems(path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:") and ": 01-001: number 1882" in problems[0]
    line = int(problems[0].split(":")[1])
    assert 'msgid "Passed in 1882."' in path.read_text(encoding="utf-8").splitlines()[line - 1 : line + 2][1]


def test_terminology_files_are_checked(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_text("- en: refugee\n  rendering: người tị nạn\n", encoding="utf-8")
    assert load_terms(path) == [Term("refugee", "người tị nạn")]
    path.write_text("- en: refugee\n  rendring: x\n", encoding="utf-8")
    with pytest.raises(TranslationError, match="entry 1 needs 'en'"):
        load_terms(path)


def test_a_term_inside_a_longer_term_and_capitalised_names_are_matched_as_a_reader_would():
    terms = [
        Term("Asian American", "người Mỹ gốc Á"),
        Term("Southeast Asian American", "người Mỹ gốc Đông Nam Á"),
        Term("Document", "Ghi lại"),
    ]
    english = "Southeast Asian American families document what happened."
    assert unit_problems(english, "Các gia đình người Mỹ gốc Đông Nam Á ghi chép những gì đã xảy ra.", terms) == []
    problems = unit_problems("Use Document, the third D.", "Dùng Ghi chép, chữ D thứ ba.", terms)
    assert problems == ["'Document' must be rendered 'Ghi lại'"]


def test_code_and_the_package_name_are_not_terms():
    terms = [Term("solidarity", "đoàn kết")]
    english = "Built with solidarity-edu 1.0; run <code>solidarity-edu link</code> or `solidarity-edu build`."
    translated = "Được tạo bằng solidarity-edu 1.0; chạy <code>solidarity-edu link</code> hoặc `solidarity-edu build`."
    assert unit_problems(english, translated, terms) == []
    problems = unit_problems("Solidarity, not solidarity-edu.", "Hợp tác, không phải solidarity-edu.", terms)
    assert problems == ["'solidarity' must be rendered 'đoàn kết'"]


def test_the_drafted_terminology_lists_load():
    root = Path(__file__).resolve().parents[2] / "locale"
    for language in ("vi", "zh_Hant"):
        terms = load_terms(root / language / "terms.yaml")
        assert len(terms) >= 50
        assert len({t.english for t in terms}) == len(terms), f"{language}: a term is listed twice"


def test_a_translation_that_breaks_a_cells_structure_is_named_by_cell():
    import nbformat

    from solidarity_edu.translate.apply import translate_markdown
    from solidarity_edu.translate.checks import structure_problems

    english = nbformat.v4.new_notebook()
    english.cells = [nbformat.v4.new_markdown_cell("## Key word\n\n- **refugee**: a person who fled\n- more", id="c1")]
    good = nbformat.from_dict(english)
    table = {"Key word": "Từ khóa", "**refugee**: a person who fled": "**người tị nạn**: người phải chạy trốn"}
    good.cells[0].source = translate_markdown(english.cells[0].source, "c1", lambda c, e: table.get(e))
    assert "Từ khóa" in good.cells[0].source
    assert structure_problems(english, good, "04.ipynb") == []
    bad = nbformat.from_dict(good)
    bad.cells[0].source = bad.cells[0].source.replace("**người tị nạn**", "người tị nạn")
    problems = structure_problems(english, bad, "04.ipynb")
    assert len(problems) == 1 and problems[0].startswith("04.ipynb: cell c1: the structure differs")


@pytest.mark.parametrize(
    ("english", "translated"),
    [
        # a date in the language's own order keeps each of its numbers
        ("Signed on February 19, 1942.", "1942 年 2 月 19 日簽署。"),
        ("Ký ngày May 23, 1975.", "Ký ngày 23 tháng 5 năm 1975."),
        # a decimal amount written in the language's own unit keeps its digits
        ("a 2.1 billion dollar fund", "21 億美元的基金"),
        ("a 2.1 billion dollar fund", "quỹ 2,1 tỷ đô la"),
        # a cited title kept in English, in italics or in quotation marks, is not untranslated text
        ("Read *The Story of the Camps and the People*.", "Đọc *The Story of the Camps and the People*."),
        (
            'Read "Demarginalizing the Intersection of Race and Sex".',
            'Đọc "Demarginalizing the Intersection of Race and Sex".',
        ),
        # Vietnamese words are whole words: "toàn" is not the English "to"
        ("The whole country.", "Toàn quốc, toàn dân, toàn thể."),
    ],
)
def test_what_a_language_writes_its_own_way_passes(english, translated):
    assert unit_problems(english, translated) == []


def test_a_number_dropped_from_a_reordered_date_is_still_caught():
    assert any("number 19" in p for p in unit_problems("On February 19, 1942.", "1942 年 2 月簽署。"))


def test_a_court_case_or_cited_work_in_italics_stays_as_written():
    english = "The Court decided *Korematsu v. United States* and the report *Personal Justice Denied* followed."
    kept = "Tòa quyết định vụ *Korematsu v. United States*; bản báo cáo *Personal Justice Denied* ra sau."
    assert unit_problems(english, kept) == []
    dropped = "Tòa quyết định vụ *Korematsu kiện Hoa Kỳ*; bản báo cáo *Personal Justice Denied* ra sau."
    assert any("*Korematsu v. United States*" in p for p in unit_problems(english, dropped))
    # an emphasised ordinary word may be translated
    assert unit_problems("This is *Risk*, not fate.", "Đây là *rủi ro*, không phải số phận.") == []


def test_a_persons_name_stays_as_written_in_every_translation(tmp_path):
    from solidarity_edu.translate.checks import language_terms

    (tmp_path / "names.yaml").write_text("- Wong Kim Ark\n- Fred Korematsu\n", encoding="utf-8")
    (tmp_path / "zh_Hant").mkdir()
    terms = language_terms(tmp_path, "zh_Hant")
    english = "Wong Kim Ark won in 1898."
    assert unit_problems(english, "黃金德（Wong Kim Ark）在 1898 年勝訴。", terms) == []
    problems = unit_problems(english, "黃金德在 1898 年勝訴。", terms)
    assert problems == [
        "the name 'Wong Kim Ark' must stay as written "
        "(a person's name stays as written; add your community's form after it if you like)"
    ]
    assert unit_problems("Fred Korematsu's case.", "Vụ án của Fred Korematsu.", terms) == []


def test_the_list_of_names_is_a_list_and_every_name_is_in_the_course():
    """locale/names.yaml loads, and each name appears in the English the course gives translators
    (a name left behind by an edited lesson would check nothing)."""
    import polib

    from solidarity_edu.translate.checks import load_names

    root = Path(__file__).resolve().parents[2] / "locale"
    names = load_names(root / "names.yaml")
    assert len(names) >= 60
    english = "\n".join(
        entry.msgid for pot in sorted((root / "templates").glob("*.pot")) for entry in polib.pofile(pot)
    )
    assert [name.english for name in names if name.english not in english] == []


def test_a_broken_list_of_names_says_how_to_fix_it(tmp_path):
    from solidarity_edu.translate.checks import load_names

    path = tmp_path / "names.yaml"
    path.write_text("Wong Kim Ark: a person\n", encoding="utf-8")
    with pytest.raises(TranslationError, match=r"names\.yaml: the list of names must be a YAML list"):
        load_names(path)
