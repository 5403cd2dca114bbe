"""A real JupyterLab on 127.0.0.1: the welcome lesson runs, its chart draws with the network blocked,
and its widgets appear (Altair 6 charts through JupyterLab 4's built-in Vega-Lite 5 renderer)."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import require_tool

from solidarity_edu.build.pdf import CHROMIUM_ARGS

pytestmark = pytest.mark.browser


_ARTIFACTS = Path(os.environ.get("SOLIDARITY_EDU_TEST_ARTIFACTS", "/tmp"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory, root):
    """JupyterLab serving a copy of the course, in its own process group, stopped with it."""
    work = tmp_path_factory.mktemp("lab")
    shutil.copytree(root / "notebooks", work / "notebooks")
    shutil.copytree(root / "data", work / "data", ignore=shutil.ignore_patterns("_parts"))
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "HOME": str(work / "home"), "SOLIDARITY_EDU_JOURNAL": str(work / "journal.sqlite3")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={work}",
            "--LabApp.news_url=",
            "--ServerApp.port_retries=0",
            "--allow-root",
        ],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"jupyter lab exited: {proc.stderr.read().decode()[-2000:]}")
                time.sleep(0.5)
        else:
            pytest.fail("jupyter lab did not start within 60 s")
        yield base, token, work
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def test_welcome_lesson_runs_offline_in_jupyterlab(lab):
    from playwright.sync_api import sync_playwright

    base, token, _ = lab
    chromium = require_tool("chromium", "chromium")
    off_host: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.route(
            re.compile(r"^(?!http://127\.0\.0\.1:|ws://127\.0\.0\.1:|data:|blob:|about:).*"),
            lambda route: (off_host.append(route.request.url), route.abort()),
        )
        page = context.new_page()
        page.goto(f"{base}/lab/tree/notebooks/00-welcome.ipynb?token={token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60000)
        try:
            # The kernel must be connected (status bar "... | Idle"), not only the page drawn.
            page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\| Idle$")).first.wait_for(timeout=60000)
            page.locator(".jp-Notebook .jp-Cell").first.click()
            for _attempt in range(3):
                page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
                page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
                try:
                    page.locator(".jp-InputPrompt", has_text="[1]").first.wait_for(state="attached", timeout=20000)
                    break
                except Exception:
                    continue  # run-all arrived before the kernel session was ready; a person would click again
            # Vega draws the chart itself as canvas.marks or svg.marks (not the small icons of its menu);
            # JupyterLab 4 hides off-screen cells, so "attached" is the right test, not "visible".
            chart = page.locator(".jp-OutputArea-output canvas.marks, .jp-OutputArea-output svg.marks")
            chart.first.wait_for(state="attached", timeout=120000)
            page.locator(".jp-OutputArea-output textarea").first.wait_for(state="attached", timeout=60000)
            assert page.locator(".jp-OutputArea-output .jp-RenderedText:has-text('Traceback')").count() == 0
        except Exception:
            page.screenshot(path=str(_ARTIFACTS / "jupyterlab-failure.png"), full_page=True)
            raise
        browser.close()
    assert off_host == [], f"JupyterLab tried to reach the network: {off_host}"
