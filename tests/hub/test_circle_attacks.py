"""A participant acting in bad faith, on a real JupyterHub (127.0.0.1): every finding of issue 18, retried.

The hub is started as in test_study_circle.py (hubtools), without building the course: participants
share through the service's API with their own tokens, exactly what the lesson widgets send from a
kernel. Each test makes one attack and asserts what a participant or facilitator now sees (status and
message), and that nothing changed that should not.
"""

from __future__ import annotations

import json
import re
import sqlite3
import stat
import threading
import time

import pytest
import requests
from hubtools import PASSWORD, raw_post, running_hub, service_pid, vm_rss_kb

from solidarity_edu.circle.catalogue import Catalogue
from solidarity_edu.circle.shares import MAX_BODY_BYTES

pytestmark = pytest.mark.hub

PEOPLE = [f"member{i}" for i in range(1, 11)]
FACILITATOR = "guide"
CATALOGUE = Catalogue.load()
TEXTS = [p for p in CATALOGUE.prompts.values() if p.shareable and p.kind == "text"]
CHOICES = [p for p in CATALOGUE.prompts.values() if p.shareable and p.kind == "choice"]
SCALE = CATALOGUE.get("08-five-cs")
PERSONAL = next(p for p in CATALOGUE.prompts.values() if not p.shareable)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    with running_hub(tmp_path_factory.mktemp("attack-hub"), PEOPLE, [FACILITATOR]) as hub:
        yield hub


def share(hub, user: str, payload: dict) -> requests.Response:
    return hub.circle("POST", "api/shares", hub.token_for(user), json=payload)


def text_share(prompt, value: str) -> dict:
    return {"prompt": prompt.id, "question": prompt.question, "kind": "text", "value": value}


def scale_share(ratings: list[int], **extra) -> dict:
    value = dict(zip(SCALE.options, ratings, strict=True))
    return {"prompt": SCALE.id, "question": SCALE.question, "kind": "scale", "value": value, "steps": 5, **extra}


def summary(hub, lesson: str | None = None) -> dict:
    r = hub.circle("GET", "api/summary" + (f"?lesson={lesson}" if lesson else ""), hub.token_for(FACILITATOR))
    assert r.status_code == 200, r.text
    return r.json()


def prompts_shown(hub, lesson: str | None = None) -> dict:
    return {item["prompt"]: item for item in summary(hub, lesson)["prompts"]}


def rows(hub, sql: str) -> list[tuple]:
    with sqlite3.connect(hub.base / "circle.sqlite3") as db:
        return db.execute(sql).fetchall()


# --- 1. body limits -------------------------------------------------------------------------------


def test_a_large_body_gets_413_before_it_is_read_and_the_service_stays_small(hub):
    port = int(hub.url.rsplit(":", 1)[1])
    path = "/services/circle/api/shares"
    # Where kernels send shares (the service's own address), with no token and with a participant's
    # token: 413 from the Content-Length alone, before the body is read or the hub is asked who calls.
    assert raw_post(hub.circle_port, path, 100 * 2**20, 65536).startswith("HTTP/1.1 413"), "no token"
    auth = {"Authorization": f"token {hub.token_for(PEOPLE[0])}"}
    assert raw_post(hub.circle_port, path, 100 * 2**20, 65536, auth).startswith("HTTP/1.1 413"), "participant"
    # Through the hub's proxy, a body over the limit that fits tornado's own (64 KiB) is read and refused.
    r = hub.circle("POST", "api/shares", hub.token_for(PEOPLE[0]), data=b"x" * (MAX_BODY_BYTES + 1))
    assert r.status_code == 413 and f"the limit is {MAX_BODY_BYTES}" in r.json()["error"]
    # Four concurrent 95 MiB bodies, sent in full, straight to the service and through the proxy.
    pid = service_pid(hub)
    before = vm_rss_kb(pid)
    statuses: dict[str, list[str]] = {"direct": [], "proxy": []}

    def flood(target: int) -> None:
        statuses["direct" if target == hub.circle_port else "proxy"].append(
            raw_post(target, path, 95 * 2**20, 95 * 2**20)
        )

    threads = [threading.Thread(target=flood, args=(p,)) for p in (hub.circle_port, hub.circle_port, port, port)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    grown_mb = (vm_rss_kb(pid) - before) / 1024
    assert grown_mb < 5, f"the service grew by {grown_mb:.1f} MB for bodies it refused"
    assert all(s.startswith("HTTP/1.1 413") for s in statuses["direct"]), statuses
    # The proxy is still sending the body when the service answers 413 and closes: configurable-http-proxy
    # then reports the closed upstream as 503 (or passes the 413 on). Either way nothing was buffered.
    assert all(s.split(" ")[1:2] in (["413"], ["503"]) for s in statuses["proxy"]), statuses
    # ... and it still answers.
    assert hub.circle("GET", f"api/shares/{TEXTS[0].id}", hub.token_for(PEOPLE[0])).json() == {"shared": False}


# --- 2. the lesson defines every prompt ------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        ({"prompt": "08-link-a", "question": "Mine", "kind": "text", "value": "hi"}, "not a prompt of this course"),
        ({"prompt": PERSONAL.id, "question": "Q", "kind": "text", "value": "hi"}, "personal prompt"),
        (
            {"prompt": CHOICES[0].id, "question": "Q", "kind": "scale", "value": {"a": 1}, "steps": 5},
            "is a choice prompt",
        ),
        (
            {"prompt": CHOICES[0].id, "question": "Q", "kind": "choice", "value": "An option I invented"},
            "not one of the options the lesson offers",
        ),
        (scale_share([10, 1, 1, 1, 1], steps=10), "rated from 1 to 5"),
        (scale_share([1, 1, 1, 1, 1], steps=10), "rated from 1 to 5"),
        ({**scale_share([1, 1, 1, 1, 1]), "value": {"Clarity": 5}}, "each item of the prompt"),
        ({**scale_share([6, 1, 1, 1, 1]), "steps": 5}, "from 1 to 5"),
    ],
)
def test_a_share_that_does_not_fit_the_lesson_is_refused_saying_which_rule(hub, payload, says):
    r = share(hub, PEOPLE[7], payload)
    assert r.status_code == 400, r.text
    assert says in r.json()["error"], r.json()
    assert rows(hub, "select count(*) from circle_shares where prompt = 'never'") == [(0,)]


def test_the_summary_shows_the_lessons_question_and_scale_never_a_participants(hub):
    for user, ratings in zip(PEOPLE[:3], ([2, 2, 2, 2, 2], [2, 2, 2, 2, 2], [2, 2, 2, 2, 2]), strict=True):
        payload = scale_share(ratings, question="Rate us from 1 to 10", options=["Clarity", "Mine"])
        assert share(hub, user, payload).status_code == 201
    item = prompts_shown(hub, "08")[SCALE.id]
    assert item["question"] == SCALE.question and item["steps"] == 5
    assert list(item["averages"]) == list(SCALE.options)
    assert item["averages"]["Clarity"] == 2.0
    page = hub.circle("GET", "facilitator?lesson=08", hub.token_for(FACILITATOR)).text
    assert "Rate us from 1 to 10" not in page and "from 1 to 5" in page
    stored = rows(hub, f"select distinct question, steps from circle_shares where prompt = '{SCALE.id}'")
    assert stored == [(SCALE.question, 5)]


def test_a_malformed_old_row_never_breaks_the_summary(hub):
    prompt = CHOICES[1]
    for user in PEOPLE[:3]:
        r = share(hub, user, {"prompt": prompt.id, "question": "Q", "kind": "choice", "value": prompt.options[0]})
        assert r.status_code == 201
    with sqlite3.connect(hub.base / "circle.sqlite3") as db:  # what an older version could have stored
        db.execute(
            "insert into circle_shares (id, owner_key, prompt, lesson, question, kind, value, options, steps, shared_on)"
            " values (7, 'old-row', ?, ?, 'Participant question', 'scale', '{\"x\": 9}', '[]', 10, '2026-01-01')",
            (prompt.id, prompt.lesson),
        )
    found = summary(hub, prompt.lesson)
    assert found["unreadable"] == 1
    item = {i["prompt"]: i for i in found["prompts"]}[prompt.id]
    assert item["counts"][prompt.options[0]] == 3 and item["question"] == prompt.question
    page = hub.circle("GET", f"facilitator?lesson={prompt.lesson}", hub.token_for(FACILITATOR))
    assert page.status_code == 200 and "1 stored answer(s) could not be read" in page.text


# --- 3. a summary that cannot single anyone out -------------------------------------------------------


def test_polling_before_and_after_one_person_shares_reveals_nothing(hub):
    prompt = CHOICES[2]
    first, second = prompt.options[0], prompt.options[1]

    def choose(user: str, option: str) -> None:
        r = share(hub, user, {"prompt": prompt.id, "question": prompt.question, "kind": "choice", "value": option})
        assert r.status_code == 201, r.text

    choose(PEOPLE[0], first)
    choose(PEOPLE[1], first)
    assert prompt.id not in prompts_shown(hub, prompt.lesson), "two people: nothing to see"
    choose(PEOPLE[2], first)
    before = prompts_shown(hub, prompt.lesson)[prompt.id]
    assert before["counts"][first] == 3 and before["count"] == 3
    choose(PEOPLE[3], second)  # the target
    assert prompts_shown(hub, prompt.lesson)[prompt.id] == before, "one new share must not show"
    choose(PEOPLE[4], second)
    assert prompts_shown(hub, prompt.lesson)[prompt.id] == before
    choose(PEOPLE[5], first)
    after = prompts_shown(hub, prompt.lesson)[prompt.id]
    assert after["count"] == 6 and after["counts"][second] == 2
    page = hub.circle("GET", f"facilitator?lesson={prompt.lesson}", hub.token_for(FACILITATOR)).text
    assert "at least 3 people have shared" in page
    assert summary(hub)["min_shares"] == 3


def test_row_ids_carry_no_order(hub):
    prompt = TEXTS[1]
    for n, user in enumerate(PEOPLE[:6]):
        assert share(hub, user, text_share(prompt, f"order test {n}")).status_code == 201
    found = rows(hub, f"select id from circle_shares where prompt = '{prompt.id}' order by value")
    ids = [i for (i,) in found]
    assert len(set(ids)) == 6, ids
    assert max(ids) > 10_000


def test_no_log_ties_a_participant_to_a_prompt_and_no_token_is_logged(hub):
    prompt = TEXTS[2]
    user = PEOPLE[6]
    token = hub.token_for(user)
    # The widget's first call (is it shared?) looks the participant up at the hub; the share reuses it.
    url = (
        f"{hub.url}/services/circle/api/shares/{prompt.id}?token={token}"  # a token in the URL, as some clients send it
    )
    lookup_line = f"/hub/api/user ({user}@"
    before = hub.log.read_text().count(lookup_line)
    assert requests.get(url, timeout=60).status_code == 403  # the hub's default: a token in a URL is ignored ...
    assert hub.circle("GET", f"api/shares/{prompt.id}", token).json() == {"shared": False}  # ... and logged redacted
    deadline = time.monotonic() + 30
    while hub.log.read_text().count(lookup_line) == before and time.monotonic() < deadline:
        time.sleep(0.2)  # a poll: ends when the hub has written the lookup the GET made (its log is buffered)
    lookups = hub.log.read_text().count(lookup_line)
    assert lookups > before, "the widget's first call never looked the participant up at the hub"
    assert share(hub, user, text_share(prompt, "a share to find in the logs")).status_code == 201
    assert hub.circle("DELETE", f"api/shares/{prompt.id}", token).json() == {"shared": False}
    deadline = time.monotonic() + 10
    while "redacted" not in hub.log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)  # a poll: ends when the service's access log reaches the hub's log file
    log = hub.log.read_text()
    assert token not in log, "a token was written to the log"
    assert prompt.id not in log, [line for line in log.splitlines() if prompt.id in line]
    assert "a share to find" not in log
    assert log.count(lookup_line) == lookups, "the share looked the participant up again"
    for line in log.splitlines():
        if "[circle" in line:
            assert user not in line, line


def test_a_withdrawn_text_is_gone_from_every_store_file_and_they_are_private(hub):
    prompt = TEXTS[3]
    marker = "WITHDRAW-ME-" + "q" * 30
    assert share(hub, PEOPLE[0], text_share(prompt, marker)).status_code == 201
    files = [hub.base / f"circle.sqlite3{suffix}" for suffix in ("", "-wal", "-shm")]
    assert any(marker.encode() in f.read_bytes() for f in files if f.exists())
    assert hub.circle("DELETE", f"api/shares/{prompt.id}", hub.token_for(PEOPLE[0])).json() == {"shared": False}
    assert [f.name for f in files if f.exists() and marker.encode() in f.read_bytes()] == []
    modes = {f.name: oct(stat.S_IMODE(f.stat().st_mode)) for f in files if f.exists()}
    assert set(modes.values()) == {"0o600"} and len(modes) == 3, modes


# --- 4. the facilitator hides a share; CSRF; frames --------------------------------------------------


def test_the_facilitator_hides_a_text_and_participants_cannot(hub):
    prompt = TEXTS[4]
    for n, user in enumerate(PEOPLE[:3]):
        assert share(hub, user, text_share(prompt, f"text {n} to discuss")).status_code == 201
    share(hub, PEOPLE[3], text_share(prompt, "an insult the circle should not project"))
    texts = prompts_shown(hub, prompt.lesson)[prompt.id]["texts"]
    target = next(t for t in texts if "insult" in t["text"])
    refused = hub.circle("POST", "facilitator/hide", hub.token_for(PEOPLE[1]), data={"share": target["id"]})
    assert refused.status_code == 403 and "facilitators" in refused.json()["error"]
    missing = hub.circle("POST", "facilitator/hide", hub.token_for(FACILITATOR), data={"share": "123"})
    assert missing.status_code == 404 and "no shared answer 123" in missing.json()["error"]
    bad = hub.circle("POST", "facilitator/hide", hub.token_for(FACILITATOR), data={"share": "١٢٣"})
    assert bad.status_code == 400
    done = hub.circle(
        "POST",
        "facilitator/hide",
        hub.token_for(FACILITATOR),
        data={"share": target["id"], "lesson": prompt.lesson},
        allow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["Location"].endswith(f"facilitator?lesson={prompt.lesson}")
    texts = [t["text"] for t in prompts_shown(hub, prompt.lesson)[prompt.id]["texts"]]
    assert "an insult the circle should not project" not in texts and len(texts) == 3
    hidden_lines = [line for line in hub.log.read_text().splitlines() if "hid a shared answer" in line]
    assert hidden_lines and not any(name in hidden_lines[-1] for name in [*PEOPLE, FACILITATOR])


def _browser_session(hub, user: str) -> requests.Session:
    """A browser-like session: log in at the hub's form, then OAuth into the service (cookies only)."""
    session = requests.Session()
    login = session.get(f"{hub.url}/hub/login", timeout=60)
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', login.text)
    form = {"username": user, "password": PASSWORD, **({"_xsrf": xsrf.group(1)} if xsrf else {})}
    assert session.post(f"{hub.url}/hub/login", data=form, timeout=60).status_code == 200
    page = session.get(f"{hub.url}/services/circle/facilitator", timeout=60)
    assert page.status_code == 200 and "What the circle shared" in page.text, page.text[:500]
    return session


def test_hiding_from_a_browser_needs_the_pages_xsrf_token_and_the_page_cannot_be_framed(hub):
    prompt = TEXTS[5]
    for n, user in enumerate(PEOPLE[:3]):
        assert share(hub, user, text_share(prompt, f"browser text {n}")).status_code == 201
    session = _browser_session(hub, FACILITATOR)
    page = session.get(f"{hub.url}/services/circle/facilitator?lesson={prompt.lesson}", timeout=60)
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    share_id = re.search(r'browser text [0-9]</blockquote><form.*?name="share" value="([0-9]+)"', page.text).group(1)
    token = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
    hide = f"{hub.url}/services/circle/facilitator/hide"
    # A form on another site can send the cookie but not the token: refused, nothing hidden.
    forged = session.post(hide, data={"share": share_id}, headers={"Origin": "https://evil.example"}, timeout=60)
    assert forged.status_code == 403
    assert len(prompts_shown(hub, prompt.lesson)[prompt.id]["texts"]) == 3
    ok = session.post(hide, data={"share": share_id, "_xsrf": token, "lesson": prompt.lesson}, timeout=60)
    assert ok.status_code == 200 and ok.url.endswith(f"facilitator?lesson={prompt.lesson}")
    assert len(prompts_shown(hub, prompt.lesson)[prompt.id]["texts"]) == 2


# --- 6. malformed bodies, ids, characters, how many rows -----------------------------------------


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"[" * 8000 + b"]" * 8000, "nested too deeply"),
        (b'{"prompt": "07-a", "kind": "text", "value": ' + b"7" * 5000 + b"}", "not valid JSON"),
        (f'{{"prompt": "{TEXTS[0].id}", "kind": "text", "value": "\\ud800 lone"}}'.encode(), "lone surrogate"),
        # No prompt of the course is an order yet (tests/unit covers items that are not texts): the kind is wrong.
        (f'{{"prompt": "{CHOICES[0].id}", "kind": "order", "value": [1, {{"x": 2}}]}}'.encode(), "kind"),
        ('{"prompt": "0\u0667-a", "kind": "text", "value": "x"}'.encode(), "prompt"),
        (b'{"prompt": "07-a\\n", "kind": "text", "value": "x"}', "prompt"),
    ],
)
def test_every_malformed_body_is_a_4xx(hub, body, says):
    r = hub.circle("POST", "api/shares", hub.token_for(PEOPLE[8]), data=body)
    assert r.status_code == 400, (r.status_code, r.text)
    assert says in r.json()["error"]


@pytest.mark.parametrize(
    ("value", "says"),
    [("!\u202eylbirret", "override"), ("a\u2066b\u2069", "override"), ("c1\x85", "control"), ("bell\x07", "control")],
)
def test_bidi_overrides_and_control_characters_are_refused_with_a_message(hub, value, says):
    r = share(hub, PEOPLE[7], text_share(TEXTS[6], value))
    assert r.status_code == 400 and says in r.json()["error"]


@pytest.mark.parametrize("prompt", ["%D9%A0%D9%A7-who", "07-who%0A", "07-WHO"])
def test_ids_in_the_path_are_ascii_and_anchored(hub, prompt):
    r = hub.circle("GET", f"api/shares/{prompt}", hub.token_for(PEOPLE[7]))
    assert r.status_code == 400 and "prompt id" in r.json()["error"]


def test_a_participant_cannot_fill_the_store_with_invented_prompts(hub):
    user = PEOPLE[9]
    before = rows(hub, "select count(*) from circle_shares")[0][0]
    statuses = {
        share(hub, user, text_share(TEXTS[0], "x") | {"prompt": f"07-invented-{n}"}).status_code for n in range(25)
    }
    assert statuses == {400}
    assert rows(hub, "select count(*) from circle_shares")[0][0] == before
    assert rows(hub, "select count(*) from circle_shares where prompt like '%invented%'") == [(0,)]


# --- 5. the logged address is the connection's unless a trusted proxy is configured ----------------


def test_a_direct_caller_cannot_fake_the_logged_address(hub):
    url = f"http://127.0.0.1:{hub.circle_port}/services/circle/api/summary?lesson=01"
    headers = {"Authorization": f"token {hub.token_for(FACILITATOR)}", "X-Forwarded-For": "203.0.113.66"}
    assert requests.get(url, headers=headers, timeout=60).status_code == 200
    deadline = time.monotonic() + 10
    while "api/summary?lesson=01" not in hub.log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)  # a poll: ends when the access log line arrives
    line = [ln for ln in hub.log.read_text().splitlines() if "api/summary?lesson=01" in ln][-1]
    assert "127.0.0.1" in line and "203.0.113.66" not in line
    assert json.loads(requests.get(url, headers=headers, timeout=60).text)["min_shares"] == 3
