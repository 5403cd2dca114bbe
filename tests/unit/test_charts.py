from __future__ import annotations

import pandas as pd
import pytest

from solidarity_edu import charts
from solidarity_edu.tags import CHART_META, VEGA_LITE_MIME


def test_course_map_has_description_and_renders_offline_for_jupyterlab(root, monkeypatch):
    monkeypatch.setenv("SOLIDARITY_EDU_ROOT", str(root))
    chart = charts.course_map("community")
    spec = chart.to_dict()
    assert "lesson" in spec["description"] and "community study circle audience" in spec["description"]
    bundle, metadata = chart._repr_mimebundle_()
    assert bundle[VEGA_LITE_MIME]["$schema"].endswith("/v5.json")  # JupyterLab 4 draws v5 offline
    assert metadata[CHART_META]["schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert bundle["text/plain"].startswith("Chart: ")
    assert "http" not in str(bundle[VEGA_LITE_MIME].get("data", ""))  # data inline, nothing fetched


def test_course_map_speaks_the_learners_language(root, monkeypatch):
    """A Vietnamese deck's course map shows the lessons' Vietnamese titles (locale/vi course.po)."""
    from solidarity_edu import i18n

    monkeypatch.setenv("SOLIDARITY_EDU_ROOT", str(root))
    try:
        i18n.use_language("vi")
        spec = str(charts.course_map("community").to_dict())
    finally:
        i18n.use_language(None)
    assert "01. Loại trừ: đóng sập cánh cửa, và đứng lên đấu tranh" in spec
    assert "Nhóm học tập cộng đồng" in spec
    assert "Exclusion: shutting the door" not in spec
    assert "Exclusion: shutting the door" in str(charts.course_map("community").to_dict())


def test_bar_chart_requires_description_and_writes_values_as_text():
    frame = pd.DataFrame({"k": ["a", "b"], "v": [1, 2]})
    with pytest.raises(ValueError, match="description"):
        charts.bar_chart(frame, "k", "v", description=" ")
    spec = charts.bar_chart(frame, "k", "v", description="Two bars.").to_dict()
    assert any(layer["mark"]["type"] == "text" for layer in spec["layer"])  # not colour alone


def test_theme_uses_colour_blind_safe_palette():
    spec = charts.bar_chart(pd.DataFrame({"k": ["a"], "v": [1]}), "k", "v", description="d").to_dict()
    assert spec["config"]["range"]["category"] == charts.PALETTE
