"""The datasets' text in the learner's language: titles, summaries, chart labels, glossary terms and camp
names come from data.po; ids, dates and numbers never change; no checked translation means English."""

from __future__ import annotations

import logging

import polib
import pytest

from solidarity_edu import i18n
from solidarity_edu.data import load_camps, load_glossary, load_timeline
from solidarity_edu.translate import runtime
from solidarity_edu.translate.datasets import dataset_in

EVENT = "chinese-exclusion-act-1882"


@pytest.fixture()
def project(tmp_path, monkeypatch, root):
    """The course's real datasets with a small Vietnamese data catalog (one entry fuzzy)."""
    (tmp_path / "data").symlink_to(root / "data")
    timeline = load_timeline(root / "data").set_index("id")
    camps = load_camps(root / "data").set_index("id")
    glossary = load_glossary(root / "data").set_index("id")
    entries = [
        (f"timeline/{EVENT}/title", timeline.loc[EVENT, "title"], "Đạo luật Loại trừ Người Hoa"),
        (f"timeline/{EVENT}/chart_label", timeline.loc[EVENT, "chart_label"], "Luật Loại trừ"),
        ("camps/manzanar/name", camps.loc["manzanar", "name"], "Trại Manzanar"),
        ("glossary/exclusion/term", glossary.loc["exclusion", "term"], "Loại trừ (Exclusion)"),
    ]
    folder = tmp_path / "locale" / "vi" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "vi"}
    for context, english, vietnamese in entries:
        po.append(polib.POEntry(msgctxt=context, msgid=str(english), msgstr=vietnamese))
    summary = str(timeline.loc[EVENT, "summary"])
    po.append(
        polib.POEntry(msgctxt=f"timeline/{EVENT}/summary", msgid=summary, msgstr="Chưa kiểm tra", flags=["fuzzy"])
    )
    po.save(str(folder / "data.po"))
    monkeypatch.setenv("SOLIDARITY_EDU_ROOT", str(tmp_path))
    monkeypatch.delenv("SOLIDARITY_EDU_LANGUAGE", raising=False)
    runtime._said.clear()
    yield tmp_path
    i18n.use_language(None)


def test_text_columns_come_from_the_catalog_and_everything_else_stays(project):
    english = load_timeline()
    vietnamese = dataset_in("timeline", english, "vi")
    row = vietnamese.set_index("id").loc[EVENT]
    before = english.set_index("id").loc[EVENT]
    assert (row["title"], row["chart_label"]) == ("Đạo luật Loại trừ Người Hoa", "Luật Loại trừ")
    assert row["summary"] == before["summary"]  # fuzzy: not yet checked, so English
    assert row["date"] == before["date"] and list(vietnamese["id"]) == list(english["id"])
    assert vietnamese["title"].dtype == english["title"].dtype
    assert english.set_index("id").loc[EVENT, "title"] != row["title"]  # the loaded frame is not changed
    assert dataset_in("timeline", english, "en") is english


def test_cards_maps_and_timelines_read_the_learners_language(project):
    from solidarity_edu.cards import define, event_card
    from solidarity_edu.charts import camps_map, timeline

    i18n.use_language("vi")
    assert "Loại trừ (Exclusion)" in define("exclusion")._repr_html_()
    assert "Đạo luật Loại trừ Người Hoa" in event_card(EVENT)._repr_html_()
    assert "Trại Manzanar" in str(camps_map().to_dict())
    assert "Luật Loại trừ" in str(timeline(ids=[EVENT, "page-act-1875"]).to_dict())
    i18n.use_language("en")
    assert "Trại Manzanar" not in str(camps_map().to_dict())


def test_a_missing_data_catalog_means_english_said_once(project, caplog):
    english = load_camps()
    with caplog.at_level(logging.WARNING):
        assert dataset_in("camps", english, "zh-Hant") is english
        dataset_in("camps", english, "zh-Hant")
    assert caplog.text.count("no zh-Hant catalog for the datasets") == 1
