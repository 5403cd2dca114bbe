"""The circle store (SQLite here; the same SQLAlchemy code serves PostgreSQL) and its summary."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat

import pytest

from solidarity_edu.circle.catalogue import Catalogue
from solidarity_edu.circle.published import Publisher
from solidarity_edu.circle.shares import StoredShare, validate_share
from solidarity_edu.circle.store import CircleStore, load_secret
from solidarity_edu.circle.summary import summarize, summary_html
from solidarity_edu.errors import CircleError


@pytest.fixture(autouse=True)
def _secrets_in_tmp(tmp_path, monkeypatch):
    """Secrets go to the user's ~/.config by default: here, a folder of the test's own."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("SOLIDARITY_EDU_CIRCLE_SECRET_FILE", raising=False)
    monkeypatch.delenv("SOLIDARITY_EDU_CIRCLE_SECRET", raising=False)


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
    # "qxzw" has letters outside hexadecimal, so a stored hash or a row id can never contain it by chance.
    store.put("user-ben-qxzw", text("07-why", "because"))
    raw = repr(sqlite3.connect(tmp_path / "circle.sqlite3").execute("select * from circle_shares").fetchall())
    assert "because" in raw and "user-ben" not in raw and "qxzw" not in raw
    assert stat.S_IMODE((tmp_path / "circle.sqlite3").stat().st_mode) == 0o600
    (secret,) = (tmp_path / "config" / "solidarity-edu" / "circle-secrets").iterdir()
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert not (tmp_path / "circle.sqlite3.secret").exists()


def test_the_secret_is_kept_apart_from_the_database_and_an_old_one_beside_it_still_works(tmp_path, caplog):
    """A copy of the database's folder never carries the secret; a store made before the secret moved
    keeps its old one (participants can still withdraw), with a warning that says how to move it."""
    from solidarity_edu.circle.store import secret_file_for

    database = tmp_path / "db" / "circle.sqlite3"
    database.parent.mkdir()
    first = load_secret(f"sqlite:///{database}")
    assert load_secret(f"sqlite:///{database}") == first  # the same after a restart
    kept = secret_file_for(database)
    assert kept.read_text().strip().encode() == first and database.parent not in kept.parents
    assert sorted(p.name for p in database.parent.iterdir()) == []

    old = tmp_path / "old" / "circle.sqlite3"
    old.parent.mkdir()
    (old.parent / "circle.sqlite3.secret").write_text("the old secret\n")
    with caplog.at_level("WARNING"):
        assert load_secret(f"sqlite:///{old}") == b"the old secret"
    assert "sits beside its database" in caplog.text and str(secret_file_for(old)) in caplog.text


def test_the_secret_file_can_be_named(tmp_path, monkeypatch):
    chosen = tmp_path / "vault" / "circle.secret"
    monkeypatch.setenv("SOLIDARITY_EDU_CIRCLE_SECRET_FILE", str(chosen))
    secret = load_secret(f"sqlite:///{tmp_path / 'circle.sqlite3'}")
    assert chosen.read_text().strip().encode() == secret and len(secret) == 64


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


def test_summary_counts_choices_averages_scales_and_lists_texts(store):
    choice = {"prompt": "07-c", "question": "Which?", "kind": "choice", "options": ["Yes", "No", "Unsure"]}
    for who, pick in [("a", "Yes"), ("b", "Yes"), ("c", "No")]:
        store.put(who, validate_share({**choice, "value": pick}))
    store.put("a", scale({"Clarity": 4, "Care": 2}))
    store.put("b", scale({"Clarity": 5, "Care": 3}))
    store.put("a", text("07-who", "zebra"))
    store.put("b", text("07-who", "Apple"))
    by_prompt = {s["prompt"]: s for s in summarize(store.all_shares(), min_shares=2)}
    assert by_prompt["07-c"]["counts"] == {"Yes": 2, "No": 1, "Unsure": 0}
    assert by_prompt["08-five-cs"]["averages"] == {"Clarity": 4.5, "Care": 2.5}
    assert by_prompt["08-five-cs"]["count"] == 2
    assert sorted(t["text"] for t in by_prompt["07-who"]["texts"]) == ["Apple", "zebra"]
    assert [s["prompt"] for s in summarize(store.all_shares("08"), min_shares=2)] == ["08-five-cs"]


def test_the_summary_page_escapes_everything_and_writes_numbers_beside_bars():
    share = validate_share({"prompt": "07-who", "question": "Q & A", "kind": "text", "value": 'a < b & "c"'})
    page = summary_html(summarize([share], min_shares=1))
    assert (
        "a &lt; b &amp; &#34;c&#34;" in page
        and "a < b" not in page
        and '<html lang="en">' in page
        and "<script" not in page
    )
    choice = validate_share({"prompt": "07-c", "question": "Q", "kind": "choice", "options": ["A", "B"], "value": "A"})
    page = summary_html(summarize([choice], min_shares=1))
    assert '<span class="num">1</span>' in page and '<span class="num">0</span>' in page
    assert "Nothing to show yet" in summary_html([])


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


# --- anonymity that survives the facilitator --------------------------------------------------------

CATALOGUE = Catalogue.from_manifest(
    {
        "version": 1,
        "prompts": {
            "07-who": {
                "lesson": "07",
                "kind": "text",
                "question": "Who?",
                "options": [],
                "steps": 0,
                "shareable": True,
            },
            "08-five-cs": {
                "lesson": "08",
                "kind": "scale",
                "question": "How strongly?",
                "options": ["Clarity", "Care"],
                "steps": 5,
                "shareable": True,
            },
        },
    }
)


def test_row_ids_are_random_not_the_order_shares_arrived(store, tmp_path):
    for n in range(12):
        store.put(f"p{n}", text("07-who", f"answer {n}"))
    db = sqlite3.connect(tmp_path / "circle.sqlite3")
    ids = [row[0] for row in db.execute("select id from circle_shares order by rowid")]
    in_arrival = [row[0] for row in db.execute("select id from circle_shares order by value")]  # 'answer 0'..'11'
    assert len(set(ids)) == 12 and all(1 <= i < 2**31 for i in ids)
    assert in_arrival != sorted(in_arrival), "ids must not grow with arrival"
    assert max(ids) > 10_000, "not 1, 2, 3, ..."


def test_every_store_file_is_private_and_a_withdrawn_text_leaves_the_disk(store, tmp_path):
    marker = "WITHDRAWN-MARKER-7f3a"
    store.put("ana", text("07-who", f"{marker} " * 40))
    store.put("ben", text("07-who", "stays"))
    files = [tmp_path / f"circle.sqlite3{suffix}" for suffix in ("", "-wal", "-shm")]
    assert all(f.exists() for f in files)
    assert [stat.S_IMODE(f.stat().st_mode) for f in files] == [0o600] * 3
    assert any(marker.encode() in f.read_bytes() for f in files), "the test must see the text before withdrawal"
    # Move it into the database file itself (as SQLite's automatic checkpoints do), then withdraw.
    with contextlib.closing(sqlite3.connect(files[0])) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert marker.encode() in files[0].read_bytes()
    assert store.withdraw("ana", "07-who") is True
    leftovers = [
        f.name for f in tmp_path.iterdir() if f.name.startswith("circle") and marker.encode() in f.read_bytes()
    ]
    assert leftovers == [], f"the withdrawn text is still on disk in {leftovers}"
    assert [s.value for s in store.all_shares()] == ["stays"]


def test_an_old_world_readable_store_is_made_private_when_opened(tmp_path):
    path = tmp_path / "old.sqlite3"
    sqlite3.connect(path).execute("create table t (x)").connection.commit()
    os.chmod(path, 0o644)
    CircleStore(f"sqlite:///{path}").close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_hidden_share_leaves_the_summary_and_stays_hidden_when_replaced(store):
    for who in ("a", "b", "c"):
        store.put(who, text("07-who", f"from {who}"))
    target = next(s for s in store.records().shares if s.share.value == "from b")
    assert store.hide(target.id) == "07-who"
    assert store.hide(999) is None
    assert sorted(s.value for s in store.all_shares()) == ["from a", "from c"]
    store.put("b", text("07-who", "rewritten"))
    assert "rewritten" not in [s.value for s in store.all_shares()]
    assert store.records().hidden == 1


def test_a_malformed_old_row_is_skipped_and_counted_never_a_crash(store, tmp_path):
    for who, rating in (("a", 2), ("b", 4), ("c", 3)):
        store.put(who, validate_share({**SCALE_08, "value": {"Clarity": rating, "Care": 1}}, CATALOGUE))
    db = sqlite3.connect(tmp_path / "circle.sqlite3")
    bad = [
        ("choice", '"Yes"', "[]", 0),  # another kind on a scale prompt (the probe's attack)
        ("scale", '{"Clarity": 10, "Care": 1}', '["Clarity", "Care"]', 10),  # off the lesson's scale
        ("scale", "{not json", "[]", 5),
    ]
    for n, (kind, value, options, steps) in enumerate(bad):
        db.execute(
            "insert into circle_shares (id, owner_key, prompt, lesson, question, kind, value, options, steps, shared_on)"
            " values (?, ?, '08-five-cs', '08', 'Q', ?, ?, ?, ?, '2026-01-01')",
            (100 + n, f"k{n}", kind, value, options, steps),
        )
    db.execute(
        "insert into circle_shares values (200, 'k9', '07-gone', '07', 'Q', 'text', '\"x\"', '[]', 0, '2026-01-01')"
    )
    db.commit()
    records = store.records(None, CATALOGUE)
    assert records.unreadable == 4 and len(records.shares) == 3
    (item,) = summarize(records.shares, catalogue=CATALOGUE)
    assert item["averages"] == {"Clarity": 3.0, "Care": 1.0} and item["steps"] == 5
    assert item["question"] == "How strongly?"
    page = summary_html([item], unreadable=records.unreadable)
    assert "4 stored answer(s) could not be read" in page


SCALE_08 = {"prompt": "08-five-cs", "question": "Rate 1 to 10!", "kind": "scale", "steps": 5}


def test_a_prompt_shows_only_once_k_have_shared_and_averages_are_rounded():
    shares = [validate_share({**SCALE_08, "value": {"Clarity": r, "Care": 1}}, CATALOGUE) for r in (1, 2, 2)]
    assert summarize(shares[:2], catalogue=CATALOGUE) == []
    (item,) = summarize(shares, catalogue=CATALOGUE)
    assert item["averages"]["Clarity"] == 1.7 and item["count"] == 3
    assert "at least 3 people" in summary_html([item]) and "fewer than 3 shares" in summary_html([item])


def test_texts_are_shuffled_the_same_way_within_a_snapshot_and_not_sorted():
    texts = [StoredShare(1000 + n, text("07-who", f"text {n:02d}")) for n in range(20)]
    first = [t["text"] for t in summarize(texts, seed=1)[0]["texts"]]
    assert first == [t["text"] for t in summarize(list(reversed(texts)), seed=1)[0]["texts"]]
    assert first != sorted(first) and first != [t["text"] for t in summarize(texts, seed=2)[0]["texts"]]


def test_the_published_summary_changes_only_in_batches_of_k(store):
    publisher = Publisher(min_shares=3)

    def share(who: str, rating: int) -> None:
        store.put(who, validate_share({**SCALE_08, "value": {"Clarity": rating, "Care": 1}}, CATALOGUE))
        publisher.changed("08-five-cs", store.owner_key(who, "08-five-cs"))

    def clarity() -> float | None:
        found = publisher.summaries(store.records(None, CATALOGUE), CATALOGUE, "08")
        return found[0]["averages"]["Clarity"] if found else None

    share("a", 1)
    share("b", 1)
    assert clarity() is None  # two people: nothing to see
    share("c", 1)
    assert clarity() == 1.0
    share("target", 5)  # the facilitator polls before and after one person shares ...
    assert clarity() == 1.0  # ... and learns nothing
    share("target", 4)  # the same person again counts once
    share("d", 5)
    assert clarity() == 1.0
    share("e", 5)  # three different people changed something since the snapshot: a new one
    assert clarity() == round((1 + 1 + 1 + 4 + 5 + 5) / 6, 1)


def test_a_withdrawn_text_leaves_the_published_summary_at_once(store):
    publisher = Publisher(min_shares=3)
    for who in ("a", "b", "c"):
        store.put(who, text("07-who", f"from {who}"))
        publisher.changed("07-who", store.owner_key(who, "07-who"))
    (item,) = publisher.summaries(store.records(None, CATALOGUE), CATALOGUE)
    assert len(item["texts"]) == 3
    store.withdraw("b", "07-who")
    publisher.changed("07-who", store.owner_key("b", "07-who"))
    (item,) = publisher.summaries(store.records(None, CATALOGUE), CATALOGUE)
    assert sorted(t["text"] for t in item["texts"]) == ["from a", "from c"]
