"""`solidarity-edu present`: a real Voilà on 127.0.0.1 shows a lesson to students with no code and no
teacher-only cells, its activities save to the learner's real journal, and the page passes axe."""

from __future__ import annotations

import json
import os
import queue
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, require_tool
from fixtures.axe import serious_violations
from fixtures.servers import free_port, loopback_page, stop_group

from solidarity_edu.builder.pdf import CHROMIUM_ARGS

LESSON = "07-defining-solidarity"
TITLE = "Defining solidarity for yourself"
URL_LINE = re.compile(r"(http://127\.0\.0\.1:\d+/\S*)")

# Text that exists only in code cells, and text that exists only in cells for teachers.
CODE_TEXT = ["from solidarity_edu import", 'reflect("07-who"', "choose("]
TEACHER_TEXT = [
    "Care notes.",  # facilitator
    "Timing for a 50-minute class",  # facilitator, for-high-school
    "Discussion guidance",  # answer-key
    "**Answer:**",  # answer-key (raw markdown)
    "Use Vigilant Love to make one point",  # facilitator
    "Going deeper",  # for-college: not in the high-school version
]
CHOICE = "Ask the Muslim students' own group what would help, then do what they ask, including work nobody will see"


def _cli(*args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "solidarity_edu.cli", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def _lines(stream, into: queue.Queue) -> None:
    for line in stream:
        into.put(line)


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """`solidarity-edu present` in its own process group, with a temp HOME and journal; stopped with it."""
    yield from _present(tmp_path_factory.mktemp("present"))


def _present(work: Path, *extra: str):
    journal = work / "journal.sqlite"
    env = {**os.environ, "HOME": str(work / "home"), "SOLIDARITY_EDU_JOURNAL": str(journal)}
    env.pop("SOLIDARITY_EDU_ROOT", None)
    proc = _cli("present", LESSON, "--port", str(free_port()), "--no-browser", *extra, env=env, start_new_session=True)
    out: queue.Queue = queue.Queue()
    stderr: list[str] = []
    threading.Thread(target=_lines, args=(proc.stdout, out), daemon=True).start()
    stderr_reader = threading.Thread(target=lambda: stderr.extend(proc.stderr), daemon=True)
    stderr_reader.start()
    try:
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            try:
                match = URL_LINE.search(out.get(timeout=0.5))
                url = match.group(1) if match else None
            except queue.Empty:
                if proc.poll() is not None:
                    stderr_reader.join(timeout=10)  # the pipe closed with the process: all of stderr is in
                    pytest.fail(f"present exited with {proc.returncode}: {''.join(stderr)[-3000:]}")
        if url is None:
            pytest.fail(f"present printed no URL within 60 s: {''.join(stderr)[-3000:]}")
        yield url, journal
    finally:
        stop_group(proc)


@pytest.fixture()
def page(voila):
    chromium = require_tool("chromium", "chromium")
    with loopback_page(chromium, CHROMIUM_ARGS, {"width": 1280, "height": 900}, "present-failure.png") as page:
        yield page


def _journal(path: Path) -> dict[str, object]:
    """The latest answer to each prompt, read straight from the SQLite file."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT prompt, value FROM answers ORDER BY version").fetchall()
    return {prompt: json.loads(value) for prompt, value in rows}


def _open_lesson(page, url: str) -> None:
    """Open the lesson and wait until Voilà has run every cell and drawn the last activity."""
    page.goto(url, timeout=90000)
    page.locator(".se-option-button").first.wait_for(timeout=90000)
    page.get_by_text("Sources: examples and reading").wait_for(state="attached", timeout=90000)
    # The last reflections (the personal statement, then the exit ticket) have rendered: every widget is drawn.
    page.get_by_text("Write your personal statement of solidarity").wait_for(timeout=90000)
    page.get_by_text("Exit ticket: In two or three sentences").wait_for(timeout=90000)


@pytest.mark.browser
def test_student_sees_the_lesson_without_code_or_teacher_notes_and_answers_reach_the_journal(voila, page):
    url, journal = voila
    _open_lesson(page, url)

    assert page.title() == TITLE
    assert page.evaluate("document.documentElement.lang") == "en"
    # Neither shown nor merely hidden: checked in the visible text and in the page's HTML.
    text, html = page.evaluate("document.body.innerText"), page.content()
    for code in CODE_TEXT:
        assert code not in text and code not in html, f"code reaches the students' page: {code!r}"
    assert page.locator(".jp-InputArea .cm-editor, .jp-InputArea pre, .jp-InputArea .highlight").count() == 0
    for teacher in TEACHER_TEXT:
        assert teacher not in text and teacher not in html, f"teacher-only text reaches the students' page: {teacher!r}"
    assert "Traceback" not in text
    # the seven reflections of the high-school version and the exit ticket
    assert page.locator("textarea").count() == 8

    # A reflection: type, Save, wait for the status to say it is saved.
    answer = "I want to stand with the refugee families at the clinic: مرحبا <b>not bold</b>"
    box = page.locator("textarea").first
    box.fill(answer)
    activity = box.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
    activity.get_by_role("button", name="Save", exact=True).click()
    activity.get_by_text("Saved privately").wait_for(timeout=30000)

    # A choice: pick an option, check it, wait for the feedback.
    page.locator(".se-option-button", has_text=CHOICE).click()
    choice = page.locator(".se-option-button").first.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][2]")
    choice.get_by_text("(selected)").wait_for(timeout=30000)
    choice.get_by_role("button", name="Check my answer").click()
    choice.get_by_text("Yes, that's right.").wait_for(timeout=30000)

    answers = _journal(journal)
    assert answers.get("07-who") == answer
    assert answers.get("07-solidarity-or-performance") == CHOICE

    problems = serious_violations(page, "present " + LESSON)
    assert problems == [], "\n".join(problems)


def test_an_unknown_lesson_names_the_lessons_that_exist():
    proc = _cli("present", "99-nope", "--no-browser")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "99-nope" in err
    assert "07-defining-solidarity" in err and "00-welcome" in err
    assert "Traceback" not in err


@pytest.fixture(scope="module")
def voila_vi(tmp_path_factory):
    """`solidarity-edu present --language vi`, like ``voila``."""
    yield from _present(tmp_path_factory.mktemp("present-vi"), "--language", "vi")


@pytest.mark.browser
def test_a_lesson_shown_in_vietnamese_says_so_and_saves_under_the_same_ids(voila_vi):
    import polib

    from solidarity_edu.i18n import tr

    url, journal = voila_vi
    assert tr("Check my answer", "vi") != "Check my answer"
    po = polib.pofile(str(ROOT / "locale" / "vi" / "LC_MESSAGES" / f"{LESSON}.po"))
    vi = {(e.msgctxt, e.msgid): e.msgstr for e in po if e.msgstr}
    title = vi[("07-001", TITLE)]
    choice_vi = next(
        v for (ctx, en), v in vi.items() if en == CHOICE and ctx.startswith("07-solidarity-or-performance/")
    )
    chromium = require_tool("chromium", "chromium")
    with loopback_page(chromium, CHROMIUM_ARGS, {"width": 1280, "height": 900}, "present-vi-failure.png") as page:
        page.goto(url, timeout=90000)
        page.locator(".se-option-button", has_text=choice_vi).wait_for(timeout=90000)
        assert page.evaluate("document.documentElement.lang") == "vi"
        assert title in page.evaluate("document.body.innerText")
        page.locator(".se-option-button", has_text=choice_vi).click()
        choice = page.locator(".se-option-button", has_text=choice_vi).locator(
            "xpath=ancestor::div[contains(@class, 'widget-vbox')][2]"
        )
        choice.get_by_text(tr("(selected)", "vi")).wait_for(timeout=30000)
        choice.get_by_role("button", name=tr("Check my answer", "vi")).click()
        choice.get_by_text(tr("Yes, that's right.", "vi")).wait_for(timeout=30000)
    # saved under the English prompt id, as the English option: the same answer in every language
    assert _journal(journal).get("07-solidarity-or-performance") == CHOICE
