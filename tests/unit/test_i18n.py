"""The package's interface in the learner's language: widgets, messages and printed forms follow the
catalog; saved values stay the same in every language; a missing or broken catalog means English."""

from __future__ import annotations

import ipywidgets as w
import polib
import pytest

from solidarity_edu import i18n
from solidarity_edu.exercises import action_plan, reflect
from solidarity_edu.exercises.forms import COMMITMENTS, RISK_LEVELS
from solidarity_edu.journal import Journal
from solidarity_edu.translate.units import interface_units

VI = {
    "Save": "Lưu",
    "Your answer": "Câu trả lời của bạn",
    "Not saved yet": "Chưa lưu",
    "Saved privately at {time}": "Đã lưu riêng lúc {time}",
    "Risk level": "Mức rủi ro",
    "Low: little risk to me or others": "Thấp: ít rủi ro cho tôi hoặc người khác",
    "Reflect": "Suy ngẫm",
}


@pytest.fixture(autouse=True)
def project(tmp_path, monkeypatch):
    """A project folder with a Vietnamese interface catalog (one entry fuzzy), and a private journal."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "course.yaml").write_text("title: t\n", encoding="utf-8")
    folder = tmp_path / "locale" / "vi" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "vi"}
    for english, vietnamese in VI.items():
        po.append(polib.POEntry(msgid=english, msgstr=vietnamese))
    po.append(polib.POEntry(msgid="Check my answer", msgstr="Kiểm tra", flags=["fuzzy"]))
    po.save(str(folder / "interface.po"))
    monkeypatch.setenv("SOLIDARITY_EDU_ROOT", str(tmp_path))
    monkeypatch.setenv("SOLIDARITY_EDU_JOURNAL", str(tmp_path / "journal.sqlite3"))
    monkeypatch.delenv("SOLIDARITY_EDU_LANGUAGE", raising=False)
    yield folder / "interface.po"
    i18n.use_language(None)


def _labels(widget):
    found = [widget.description] if isinstance(widget, (w.Button, w.Textarea, w.Dropdown)) else []
    for child in getattr(widget, "children", ()):
        found += _labels(child)
    return found


def test_english_by_default_and_the_chosen_language_when_set(monkeypatch):
    assert i18n.tr("Save") == "Save"
    monkeypatch.setenv("SOLIDARITY_EDU_LANGUAGE", "vi")
    assert i18n.current_language() == "vi"
    assert i18n.tr("Save") == "Lưu"
    i18n.use_language("en")
    assert i18n.tr("Save") == "Save"


def test_unchecked_and_missing_translations_are_shown_in_english():
    i18n.use_language("vi")
    assert i18n.tr("Check my answer") == "Check my answer"  # fuzzy: not yet checked by a translator
    assert i18n.tr("A sentence nobody translated.") == "A sentence nobody translated."
    i18n.use_language("zh-Hant")  # no catalog at all
    assert i18n.tr("Save") == "Save"


def test_a_broken_catalog_never_stops_a_lesson(project, caplog):
    project.write_text('msgid "a"\nmsgid "b"\nmsgstr "c"\n', encoding="utf-8")
    i18n.use_language("vi")
    assert i18n.tr("Save") == "Save"
    assert "interface.po: cannot read the interface catalog" in caplog.text


def test_the_lesson_language_parameter_in_the_kernel_is_followed():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        shell.user_ns["language"] = "vi"
        assert i18n.current_language() == "vi"
        assert i18n.tr("Save") == "Lưu"
    finally:
        InteractiveShell.clear_instance()


def test_widgets_and_paper_speak_the_language_and_save_the_same_values(project):
    i18n.use_language("vi")
    activity = reflect("00-hope", "What do you hope?")
    labels = _labels(activity.widget)
    assert "Lưu" in labels and "Câu trả lời của bạn" in labels
    assert "Suy ngẫm" in activity.static_html

    plan = action_plan("09-plan")
    risk = next(d for d in _find(plan.widget, w.Dropdown) if d.description == "Mức rủi ro")
    assert risk.label == "Thấp: ít rủi ro cho tôi hoặc người khác"
    assert risk.value == RISK_LEVELS[0]  # shown in Vietnamese, saved in English
    save = next(b for b in _find(plan.widget, w.Button) if b.description == "Save my plan")  # not translated
    save.click()
    saved = Journal(project.parents[3] / "journal.sqlite3").latest("09-plan").value
    assert saved["risk"] == RISK_LEVELS[0] and saved["commitment"] == COMMITMENTS[0]
    status = [h.value for h in _find(plan.widget, w.HTML)]
    assert any(v.startswith("Đã lưu riêng lúc ") for v in status)


def _find(widget, kind):
    found = [widget] if isinstance(widget, kind) else []
    for child in getattr(widget, "children", ()):
        found += _find(child, kind)
    return found


def test_every_marked_interface_sentence_is_extracted():
    sources = {u.source for u in interface_units()}
    assert set(VI) <= sources
    assert {*RISK_LEVELS, *COMMITMENTS} <= sources
    assert all(u.context is None for u in interface_units())
