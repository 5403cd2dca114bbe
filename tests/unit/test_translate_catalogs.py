"""extract / update / status on a real course copy: translations are never lost, counts are true."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import polib
import pytest

from solidarity_edu.cli import main
from solidarity_edu.course import load_course
from solidarity_edu.translate import catalogs
from solidarity_edu.translate.units import TranslationError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def course(tmp_path):
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return load_course(tmp_path / "notebooks" / "course.yaml")


def _translate_all(path: Path, prefix: str = "VI ") -> int:
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = prefix + entry.msgid
    po.save()
    return len(po)


def test_extract_update_status_round(course, tmp_path):
    locale = tmp_path / "locale"
    written = catalogs.extract(course, tmp_path / "data", locale)
    assert sorted(p.stem for p in written) == sorted(
        [*(lesson.id for lesson in course.lessons), "course", "data", "interface"]
    )
    catalogs.update(locale, "vi")
    catalogs.update(locale, "zh-Hant")
    assert (locale / "zh_Hant" / "LC_MESSAGES" / "01-exclusion.po").is_file()
    po = polib.pofile(str(locale / "vi" / "LC_MESSAGES" / "01-exclusion.po"))
    assert po.metadata["Language"] == "vi"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    before = {row.domain: row for row in catalogs.status(locale, "vi")}
    assert before["01-exclusion"].translated == 0
    assert before["01-exclusion"].untranslated == len(po) > 50

    done = _translate_all(locale / "vi" / "LC_MESSAGES" / "01-exclusion.po")
    after = {row.domain: row for row in catalogs.status(locale, "vi")}
    assert (after["01-exclusion"].translated, after["01-exclusion"].percent) == (done, 100.0)
    assert after["02-incarceration"].translated == 0
    assert {row.language for row in catalogs.status(locale)} == {"vi", "zh_Hant"}


def test_a_changed_sentence_keeps_its_translation_as_fuzzy_and_a_removed_one_as_obsolete(course, tmp_path):
    locale = tmp_path / "locale"
    catalogs.extract(course, tmp_path / "data", locale)
    catalogs.update(locale, "vi")
    path = locale / "vi" / "LC_MESSAGES" / "01-exclusion.po"
    total = _translate_all(path)

    notebook = course.lesson("01-exclusion").notebook
    nb = nbformat.read(notebook, as_version=4)
    cell = nb.cells[0]
    old_heading = cell.source.split("\n", 1)[0]
    cell.source = cell.source.replace(old_heading, "# Exclusion, and how people fought it", 1)
    gone = next(c for c in nb.cells[1:] if c.cell_type == "markdown")
    nb.cells.remove(gone)
    nbformat.write(nb, notebook)

    catalogs.extract(course, tmp_path / "data", locale)
    catalogs.update(locale, "vi")
    po = polib.pofile(str(path))
    changed = po.find("Exclusion, and how people fought it", msgctxt=cell.id)
    assert changed is not None and "fuzzy" in changed.flags
    assert changed.msgstr == "VI " + old_heading.lstrip("# ")
    assert changed.previous_msgid == old_heading.lstrip("# ")
    obsolete = [e for e in po if e.obsolete]
    assert obsolete and all(e.msgctxt == gone.id and e.msgstr.startswith("VI ") for e in obsolete)
    row = next(r for r in catalogs.status(locale, "vi") if r.domain == "01-exclusion")
    assert row.fuzzy == 1 and row.untranslated == 0
    assert row.translated + row.fuzzy == total - len(obsolete)


def test_a_catalog_behind_its_template_counts_the_new_units_untranslated(course, tmp_path):
    locale = tmp_path / "locale"
    catalogs.extract(course, tmp_path / "data", locale)
    catalogs.update(locale, "vi")
    _translate_all(locale / "vi" / "LC_MESSAGES" / "00-welcome.po")
    notebook = course.lesson("00-welcome").notebook
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("A new closing sentence."))
    nbformat.write(nb, notebook)
    catalogs.extract(course, tmp_path / "data", locale)  # the template moves on; the catalog has not
    row = next(r for r in catalogs.status(locale, "vi") if r.domain == "00-welcome")
    assert row.untranslated == 1 and row.percent < 100


def test_a_broken_catalog_is_named_with_how_to_fix_it(course, tmp_path):
    locale = tmp_path / "locale"
    catalogs.extract(course, tmp_path / "data", locale)
    catalogs.update(locale, "vi")
    path = locale / "vi" / "LC_MESSAGES" / "00-welcome.po"
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgctxt "x"\nmsgid "a"\nmsgid "twice"\n', encoding="utf-8")
    with pytest.raises(TranslationError, match=r"00-welcome\.po: not a valid PO file \(.*line \d+.*Poedit"):
        catalogs.update(locale, "vi")
    assert 'msgid "twice"' in path.read_text(encoding="utf-8")  # nothing overwritten


def test_update_before_extract_and_bad_language_tags_say_what_to_do(tmp_path):
    with pytest.raises(TranslationError, match="run `solidarity-edu translate extract` first"):
        catalogs.update(tmp_path / "locale", "vi")
    with pytest.raises(TranslationError, match="not a language tag"):
        catalogs.gettext_language("Vietnamese!")


def test_the_command_line(course, tmp_path, capsys):
    base = ["--course", str(course.path), "--data", str(tmp_path / "data"), "translate", "--locale"]
    locale = str(tmp_path / "locale")
    assert main([*base, locale, "status"]) == 0
    assert "no catalogs" in capsys.readouterr().out
    assert main([*base, locale, "extract"]) == 0
    assert main([*base, locale, "update", "--language", "vi"]) == 0
    assert main([*base, locale, "status", "--language", "vi"]) == 0
    out = capsys.readouterr().out
    assert "01-exclusion" in out and "0.0%" in out
    assert main([*base, locale, "update", "--language", "not a tag"]) == 2
    assert main([*base, locale, "check"]) == 0  # nothing translated yet: nothing wrong
    po_path = tmp_path / "locale" / "vi" / "LC_MESSAGES" / "01-exclusion.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if "1882" in e.msgid)
    entry.msgstr = entry.msgid.replace("1882", "1883") + " (bản dịch)"
    po.save()
    (tmp_path / "locale" / "vi" / "terms.yaml").write_text(
        "- en: refugee\n  rendering: người tị nạn\n", encoding="utf-8"
    )
    capsys.readouterr()
    assert main([*base, locale, "check", "--language", "vi"]) == 1
    out = capsys.readouterr().out
    assert f"{po_path}:" in out and "number 1882" in out
