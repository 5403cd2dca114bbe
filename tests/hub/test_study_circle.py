"""A study circle on a real JupyterHub (127.0.0.1): join by nbgitpuller, run a lesson, share anonymously.

Five participants and a facilitator. Each participant's server pulls the published student notebooks
from a local bare git repository (what the link from ``solidarity-edu link`` does), runs lesson 07 end
to end in a kernel through the kernel API, answers prompts with the real lesson widgets and ticks
"Share with my circle". The facilitator sees the anonymous summary; nobody else does.
"""

from __future__ import annotations

import json
import statistics
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import nbformat
import pytest
from hubtools import PASSWORD, Kernel, running_hub

from solidarity_edu.circle import FACILITATE_SCOPE
from solidarity_edu.course import load_course
from solidarity_edu.lesson import read_lesson
from solidarity_edu.link import lesson_link
from solidarity_edu.publish import publish_student_repo

pytestmark = pytest.mark.hub

PARTICIPANTS = [f"participant{i}" for i in range(1, 6)]
FACILITATOR = "facilitator"
TARGET = "circle-notebooks"
LESSON_07 = f"{TARGET}/notebooks/07-defining-solidarity.ipynb"
LESSON_08 = f"{TARGET}/notebooks/08-solidarity-practices.ipynb"
COURSE = load_course(Path(__file__).resolve().parents[2] / "notebooks" / "course.yaml")
UPDATE = "UPDATED FOR OUR CIRCLE: read this paragraph together before the activity."

FIND = """
import ipywidgets as _w
from solidarity_edu.exercises import choose, reflect, scale
def _find(widget, kind, where=lambda x: True):
    found = [widget] if isinstance(widget, kind) and where(widget) else []
    for child in getattr(widget, "children", ()):
        found += _find(child, kind, where)
    return found
def _click(act, label):
    [b for b in _find(act.widget, _w.Button) if b.description.startswith(label)][0].click()
def _share(act):
    box = _find(act.widget, _w.Checkbox)[0]
    assert box.description == "Share with my circle (anonymous)" and box.value is False, "sharing is off by default"
    box.value = True
    print([h.value for h in _find(act.widget, _w.HTML) if "shared" in h.value.lower()])
"""


def _git(*args: str, cwd=None) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Facilitator", "-c", "user.email=facilitator@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def _prompts(root, lesson: str) -> dict:
    """prompt id -> prompt, from a lesson of the course (read through the lesson model)."""
    return {p.id: p for p in read_lesson(root / "notebooks" / f"{lesson}.ipynb").prompts}


def _call(prompt) -> str:
    """The one-line activity call that shows ``prompt``, as in the lesson's code cell."""
    return f"{prompt.kind}({prompt.id!r})"


@pytest.fixture(scope="module")
def curriculum(real_exports, tmp_path_factory, root):
    """The student notebooks, published (community version) into a local bare git repository."""
    work = tmp_path_factory.mktemp("curriculum")
    published = work / "published"
    publish_student_repo(real_exports, load_course(root / "notebooks" / "course.yaml"), published, audience="community")
    bare = work / f"{TARGET}.git"
    _git("init", "--bare", "-b", "main", str(bare))
    _git("init", "-b", "main", cwd=published)
    _git("add", "-A", cwd=published)
    _git("commit", "-m", "curriculum", cwd=published)
    _git("push", str(bare), "main", cwd=published)
    return bare, published


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    with running_hub(tmp_path_factory.mktemp("hub"), PARTICIPANTS, [FACILITATOR]) as hub:
        yield hub


def _join_and_run(hub, repo, user: str, answers: dict) -> dict:
    hub.spawn(user)
    link = lesson_link(COURSE, "07-defining-solidarity", hub.url, f"file://{repo}")  # what `solidarity-edu link` prints
    assert hub.follow_link(user, link) == LESSON_07
    listing = hub.user_api(user, "GET", f"api/contents/{TARGET}/notebooks").json()
    assert "07-defining-solidarity.ipynb" in {item["name"] for item in listing["content"]}
    notebook = nbformat.reads(json.dumps(hub.user_api(user, "GET", f"api/contents/{LESSON_07}").json()["content"]), 4)
    kernel = Kernel(hub, user, LESSON_07)
    try:
        for cell in notebook.cells:  # the whole lesson, end to end, as "Run All" does
            if cell.cell_type == "code":
                kernel.run(cell.source)
        kernel.run(FIND)
        text, choice, scale = answers["text"], answers["choice"], answers["scale"]
        shared = kernel.run(
            f"act = {text['call']}\n"
            f"_find(act.widget, _w.Textarea)[0].value = {text['value']!r}\n"
            "_click(act, 'Save')\n_share(act)\n"
            f"act = {choice['call']}\n_click(act, {choice['value']!r})\n_click(act, 'Check my answer')\n_share(act)\n"
            f"act = {scale['call']}\n"
            f"for _tb, _v in zip(_find(act.widget, _w.ToggleButtons), {list(scale['value'].values())!r}): _tb.value = _v\n"
            "_click(act, 'Save and show my chart')\n_share(act)\n"
        )
    finally:
        kernel.close()
    return {"user": user, "shared": shared}


@pytest.fixture(scope="module")
def circle(hub, curriculum, root):
    """Five participants join at once, run lesson 07 and share three answers each."""
    bare, _ = curriculum
    prompts07, prompts08 = _prompts(root, "07-defining-solidarity"), _prompts(root, "08-solidarity-practices")
    text_prompt = next(p.id for p in prompts07.values() if p.kind == "reflect" and p.shareable)
    choice_call = _call(prompts07["07-solidarity-or-performance"])
    options = list(prompts07["07-solidarity-or-performance"].options)
    items = list(prompts08["08-five-cs"].options)
    answers = {}
    for i, user in enumerate(PARTICIPANTS):
        answers[user] = {
            "text": {
                "prompt": text_prompt,
                "call": _call(prompts07[text_prompt]),
                "value": f"{user} writes: we meet at the tenants' union & the mosque",
            },
            "choice": {"prompt": "07-solidarity-or-performance", "call": choice_call, "value": options[i % 2]},
            "scale": {
                "prompt": "08-five-cs",
                "call": _call(prompts08["08-five-cs"]),
                "value": {item: 1 + (i + k) % 5 for k, item in enumerate(items)},
            },
        }
    with ThreadPoolExecutor(max_workers=len(PARTICIPANTS)) as pool:
        results = list(pool.map(lambda u: _join_and_run(hub, bare, u, answers[u]), PARTICIPANTS))
    return {"answers": answers, "results": results, "options": options, "items": items, "text_prompt": text_prompt}


def _summary(hub, lesson: str | None = None) -> dict:
    r = hub.circle("GET", "api/summary" + (f"?lesson={lesson}" if lesson else ""), hub.token_for(FACILITATOR))
    assert r.status_code == 200, r.text
    return {item["prompt"]: item for item in r.json()["prompts"]}


def test_every_participant_ran_the_lesson_and_shared_three_answers(circle):
    for result in circle["results"]:
        assert result["shared"].count("Shared with your circle, without your name") == 3, result


def test_the_facilitator_sees_counts_averages_and_texts_without_names(hub, circle):
    summary = _summary(hub)
    answers = circle["answers"]
    choice = summary["07-solidarity-or-performance"]
    assert choice["count"] == 5
    assert choice["counts"][circle["options"][0]] == 3 and choice["counts"][circle["options"][1]] == 2
    assert all(choice["counts"][o] == 0 for o in circle["options"][2:])
    scale = summary["08-five-cs"]
    for item in circle["items"]:
        expected = statistics.mean(answers[u]["scale"]["value"][item] for u in PARTICIPANTS)
        assert scale["averages"][item] == pytest.approx(expected, abs=0.01)
    texts = [entry["text"] for entry in summary[circle["text_prompt"]]["texts"]]
    assert sorted(texts) == sorted(answers[u]["text"]["value"] for u in PARTICIPANTS)
    raw = json.dumps(summary)
    assert "owner" not in raw
    assert [p for p in _summary(hub, "08")] == ["08-five-cs"]


def test_participants_cannot_see_the_summary_or_each_others_work(hub, circle):
    ana, ben = PARTICIPANTS[0], PARTICIPANTS[1]
    token = hub.token_for(ana)
    assert hub.circle("GET", "api/summary", token).status_code == 403
    assert hub.circle("GET", "facilitator", token).status_code == 403
    # The service answers "have I shared?" for the asker only; there is no way to name another person.
    assert hub.circle("GET", f"api/shares/{circle['text_prompt']}", token).json() == {"shared": True}
    # B's server (files, journal, kernels) is closed to A's token through the proxy.
    for path in (f"api/contents/{TARGET}", "api/kernels", "files/.local/share/solidarity-edu/journal.sqlite3"):
        r = hub.api("GET", f"/user/{ben}/{path}", token, allow_redirects=False)
        assert r.status_code in (302, 403, 404), (path, r.status_code)
        assert "journal" not in r.text.lower() or r.status_code != 200
    # No token at all: the hub sends you to log in, the service gives nothing away.
    anonymous = hub.api("GET", "/services/circle/api/summary", token="nobody", allow_redirects=False)
    assert anonymous.status_code in (302, 403)
    assert FACILITATE_SCOPE not in hub.api("GET", "/hub/api/user", token).json().get("scopes", [])


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b"{not json", 400, "JSON"),
        (
            json.dumps(
                {"prompt": "07-signs", "question": "Q", "kind": "text", "value": "<script>alert(1)</script>"}
            ).encode(),
            400,
            "script",
        ),
        (
            json.dumps({"prompt": "07-signs", "question": "Q", "kind": "text", "value": "x" * 20000}).encode(),
            413,
            "limit",
        ),
        (json.dumps({"prompt": "../etc", "question": "Q", "kind": "text", "value": "hi"}).encode(), 400, "prompt"),
        (json.dumps({"prompt": "07-x", "question": "Q", "kind": "text", "value": "hi"}).encode(), 400, "not a prompt"),
        (
            json.dumps({"prompt": "07-signs", "question": "Q", "kind": "text", "value": "hi", "user": "ana"}).encode(),
            400,
            "user",
        ),
    ],
)
def test_bad_submissions_get_a_clear_4xx_and_change_nothing(hub, circle, body, status, says):
    before = _summary(hub)
    r = hub.circle(
        "POST", "api/shares", hub.token_for(PARTICIPANTS[2]), data=body, headers={"Content-Type": "application/json"}
    )
    assert r.status_code == status, r.text
    assert says in r.json()["error"]
    assert _summary(hub) == before


def test_the_facilitator_page_escapes_what_was_shared(hub, circle):
    page = hub.circle("GET", "facilitator?lesson=07", hub.token_for(FACILITATOR))
    assert page.status_code == 200
    assert "tenants&#39; union &amp; the mosque" in page.text  # escaped by the page's template (markupsafe)
    assert "participant1 writes" in page.text  # the text the participant chose to write, not an account
    assert page.headers["Content-Security-Policy"].startswith("default-src 'none'")
    # A link per lesson with shares; the lesson shown is marked.
    assert '<a href="facilitator?lesson=07" aria-current="page">Lesson 07</a>' in page.text
    assert '<a href="facilitator?lesson=08">Lesson 08</a>' in page.text
    assert "How strongly does the group" not in page.text  # lesson 08's prompt is not on lesson 07's page


def test_a_withdrawn_share_leaves_the_summary(hub, circle):
    user = PARTICIPANTS[4]
    kernel = Kernel(hub, user, LESSON_07)
    try:
        kernel.run(FIND)
        out = kernel.run(
            f"act = {circle['answers'][user]['text']['call']}\n"
            "box = _find(act.widget, _w.Checkbox)[0]\nassert box.value is True, 'the share is remembered'\n"
            "box.value = False\nprint([h.value for h in _find(act.widget, _w.HTML) if 'ithdrawn' in h.value])"
        )
    finally:
        kernel.close()
    assert "Withdrawn" in out
    texts = [entry["text"] for entry in _summary(hub)[circle["text_prompt"]]["texts"]]
    assert len(texts) == 4 and not any(t.startswith(user) for t in texts)


def test_an_update_is_pulled_again_and_every_answer_is_intact(hub, curriculum, circle):
    bare, published = curriculum
    path = published / "notebooks" / "07-defining-solidarity.ipynb"
    nb = nbformat.read(path, 4)
    first_markdown = next(c for c in nb.cells if c.cell_type == "markdown")
    first_markdown.source += "\n\n" + UPDATE
    nbformat.write(nb, path)
    _git("commit", "-am", "update lesson 07", cwd=published)
    _git("push", str(bare), "main", cwd=published)

    def repull(user: str) -> str:
        hub.pull(user, f"file://{bare}", TARGET)
        content = json.dumps(hub.user_api(user, "GET", f"api/contents/{LESSON_07}").json()["content"])
        assert UPDATE in content, f"{user} did not get the update"
        kernel = Kernel(hub, user, LESSON_07)
        try:
            return kernel.run(
                "from solidarity_edu.journal import Journal\n"
                f"print(Journal().latest({circle['text_prompt']!r}).value)\n"
                "print(Journal().latest('08-five-cs').value)"
            )
        finally:
            kernel.close()

    with ThreadPoolExecutor(max_workers=len(PARTICIPANTS)) as pool:
        outputs = dict(zip(PARTICIPANTS, pool.map(repull, PARTICIPANTS), strict=True))
    for user, out in outputs.items():
        assert circle["answers"][user]["text"]["value"] in out, out
        assert repr(circle["answers"][user]["scale"]["value"]) in out, out


def test_the_join_link_in_a_browser(hub, curriculum, circle):
    """A participant logs in and opens the link `solidarity-edu link` prints: the hub sends them to their
    server, nbgitpuller pulls, and JupyterLab opens lesson 07."""
    from conftest import require_tool
    from playwright.sync_api import sync_playwright

    from solidarity_edu.builder.pdf import CHROMIUM_ARGS

    bare, _ = curriculum
    link = lesson_link(COURSE, "07-defining-solidarity", hub.url, f"file://{bare}")
    path_and_query = link.removeprefix(hub.url)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=require_tool("chromium", "chromium"), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{hub.url}/hub/login?next={quote(path_and_query)}")
            page.fill("input[name=username]", PARTICIPANTS[1])
            page.fill("input[name=password]", PASSWORD)
            page.click("input[type=submit], button[type=submit]")
            page.wait_for_url(f"**/user/{PARTICIPANTS[1]}/lab/tree/{LESSON_07}*", timeout=120000)
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120000)
        finally:
            browser.close()


def test_the_facilitator_view_in_a_browser_after_hub_login(hub, circle):
    """OAuth through the hub in Debian's chromium: log in, open the service, see the summary; axe passes."""
    from conftest import require_tool
    from fixtures.axe import serious_violations
    from playwright.sync_api import sync_playwright

    from solidarity_edu.builder.pdf import CHROMIUM_ARGS

    chromium = require_tool("chromium", "chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for user, allowed in ((FACILITATOR, True), (PARTICIPANTS[0], False)):
                context = browser.new_context(bypass_csp=True)  # to inject axe; the CSP itself is tested above
                page = context.new_page()
                page.goto(f"{hub.url}/hub/login?next=/services/circle/facilitator")
                page.fill("input[name=username]", user)
                page.fill("input[name=password]", PASSWORD)
                with page.expect_navigation(timeout=60000):
                    page.click("input[type=submit], button[type=submit]")
                page.wait_for_load_state("load")
                if allowed:
                    page.get_by_text("What the circle shared").first.wait_for(timeout=60000)
                    assert "people shared" in page.inner_text("main")
                    found = serious_violations(page, "circle facilitator page")
                    assert found == [], "\n".join(found)
                else:
                    assert "What the circle shared" not in page.content()
                context.close()
        finally:
            browser.close()


def test_too_many_shares_in_a_minute_get_429_and_the_store_keeps_one(hub, circle, root):
    """Rate per person: the 31st write in a minute is refused. (Last in the file: it uses up the
    facilitator's writes, on a lesson 01 prompt no other test shares, so their summaries are untouched.)"""
    prompt = next(p for p in _prompts(root, "01-exclusion").values() if p.kind == "reflect" and p.shareable)
    token = hub.token_for(FACILITATOR)
    share = {"prompt": prompt.id, "question": "Q", "kind": "text"}
    statuses = [
        hub.circle("POST", "api/shares", token, json={**share, "value": f"try {i}"}).status_code for i in range(31)
    ]
    assert statuses[:30] == [201] * 30 and statuses[30] == 429, statuses
    assert prompt.id not in _summary(hub, "01"), "one person's share is never shown alone"
    for user in PARTICIPANTS[:2]:
        r = hub.circle("POST", "api/shares", hub.token_for(user), json={**share, "value": f"{user} too"})
        assert r.status_code == 201, r.text
    summary = _summary(hub, "01")[prompt.id]
    assert summary["count"] == 3, "a person's share is replaced, never duplicated"
    assert sorted(entry["text"] for entry in summary["texts"]) == sorted(
        ["try 29", *(f"{u} too" for u in PARTICIPANTS[:2])]
    )


def test_every_server_of_the_circle_listens_on_loopback_only(hub, circle):
    from hubtools import listening_addresses

    listening = listening_addresses(hub)
    addresses = [a for found in listening.values() for a in found]
    # The hub's API, the proxy and the proxy's API, the circle service, and five participants' servers.
    assert len(addresses) >= 9, listening
    outside = [a for a in addresses if not a.startswith(("127.0.0.1:", "::1:"))]
    assert outside == [], f"listening beyond this machine: {outside}"
