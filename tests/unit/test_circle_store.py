"""The circle store (SQLite here; the same SQLAlchemy code serves PostgreSQL) and its summary."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from solidarity_edu.circle.shares import validate_share
from solidarity_edu.circle.store import CircleStore, load_secret
from solidarity_edu.circle.summary import summarize, summary_html
from solidarity_edu.errors import CircleError


@pytest.fixture
def store(tmp_path):
    s = CircleStore(f"sqlite:///{tmp_path / 'circle.sqlite3'}")
    yield s
    s.close()


def text(prompt, value):
    return validate_share({"prompt": prompt, "question": "Why?", "kind": "text", "value": value})


def scale(values):
    return validate_share(
        {
            "prompt": "08-five-cs",
            "question": "Rate",
            "kind": "scale",
            "options": ["Clarity", "Care"],
            "steps": 5,
            "value": values,
        }
    )


def test_a_share_is_replaced_withdrawn_and_never_stored_with_a_name(store, tmp_path):
    store.put("ana", text("07-who", "first"))
    store.put("ana", text("07-who", "second"))
    store.put("ben", text("07-who", "ben's"))
    assert sorted(s.value for s in store.all_shares("07")) == ["ben's", "second"]
    assert store.is_shared("ana", "07-who") and not store.is_shared("cy", "07-who")
    assert store.withdraw("ana", "07-who") is True
    assert [s.value for s in store.all_shares()] == ["ben's"]
    assert store.withdraw("ana", "07-who") is False
    store.put("user-ben-4410", text("07-why", "because"))
    raw = repr(sqlite3.connect(tmp_path / "circle.sqlite3").execute("select * from circle_shares").fetchall())
    assert "because" in raw and "user-ben-4410" not in raw and "4410" not in raw
    assert stat.S_IMODE((tmp_path / "circle.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "circle.sqlite3.secret").stat().st_mode) == 0o600


def test_owner_keys_cannot_link_two_shares_of_one_person(store, tmp_path):
    store.put("ana", text("07-who", "a"))
    store.put("ana", text("07-why", "b"))
    keys = [r[0] for r in sqlite3.connect(tmp_path / "circle.sqlite3").execute("select owner_key from circle_shares")]
    assert len(set(keys)) == 2 and not any("ana" in k for k in keys)


def test_the_secret_is_kept_across_restarts_so_a_share_can_still_be_withdrawn(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    CircleStore(url).put("ana", text("07-who", "a"))
    assert CircleStore(url).withdraw("ana", "07-who") is True


def test_postgresql_without_a_secret_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("SOLIDARITY_EDU_CIRCLE_SECRET", raising=False)
    with pytest.raises(CircleError, match="SOLIDARITY_EDU_CIRCLE_SECRET"):
        load_secret("postgresql+psycopg://u:p@db/circle")


def test_a_bad_database_url_is_a_clear_error():
    with pytest.raises(CircleError, match="sqlite:///PATH"):
        CircleStore("nosuchdb://x", secret=b"s")


def test_summary_counts_choices_averages_scales_and_sorts_texts(store):
    choice = {"prompt": "07-c", "question": "Which?", "kind": "choice", "options": ["Yes", "No", "Unsure"]}
    for who, pick in [("a", "Yes"), ("b", "Yes"), ("c", "No")]:
        store.put(who, validate_share({**choice, "value": pick}))
    store.put("a", scale({"Clarity": 4, "Care": 2}))
    store.put("b", scale({"Clarity": 5, "Care": 3}))
    store.put("a", text("07-who", "zebra"))
    store.put("b", text("07-who", "Apple"))
    by_prompt = {s["prompt"]: s for s in summarize(store.all_shares())}
    assert by_prompt["07-c"]["counts"] == {"Yes": 2, "No": 1, "Unsure": 0}
    assert by_prompt["08-five-cs"]["averages"] == {"Clarity": 4.5, "Care": 2.5}
    assert by_prompt["08-five-cs"]["count"] == 2
    assert by_prompt["07-who"]["texts"] == ["Apple", "zebra"]
    assert [s["prompt"] for s in summarize(store.all_shares("08"))] == ["08-five-cs"]


def test_the_summary_page_escapes_everything_and_writes_numbers_beside_bars():
    share = validate_share({"prompt": "07-who", "question": "Q & A", "kind": "text", "value": 'a < b & "c"'})
    page = summary_html(summarize([share]))
    assert "a &lt; b &amp; &quot;c&quot;" in page and '<html lang="en">' in page and "<script" not in page
    choice = validate_share({"prompt": "07-c", "question": "Q", "kind": "choice", "options": ["A", "B"], "value": "A"})
    page = summary_html(summarize([choice]))
    assert '<span class="num">1</span>' in page and '<span class="num">0</span>' in page
    assert "Nothing has been shared yet" in summary_html([])


def test_the_rate_limiter_counts_per_person_within_the_window(monkeypatch):
    from types import SimpleNamespace

    from solidarity_edu.circle import service

    clock = [1000.0]  # the limiter's clock, moved by the test instead of waiting for real time to pass
    monkeypatch.setattr(service, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    limiter = service.RateLimiter(limit=3, window=60.0)
    assert [limiter.allow("ana") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("ben") is True
    clock[0] += 59.0
    assert limiter.allow("ana") is False  # still inside the window
    clock[0] += 1.5
    assert limiter.allow("ana") is True


def test_the_summary_page_links_each_lesson_and_marks_the_one_shown():
    page = summary_html([], lessons=["07", "08"], current="08")
    assert '<a href="facilitator">All lessons</a>' in page
    assert '<a href="facilitator?lesson=08" aria-current="page">Lesson 08</a>' in page
    assert "<nav" not in summary_html([])
