"""Print HTML pages to PDF with Debian's Chromium, driven by Playwright (no browser download, no LaTeX).

Why Chromium and not WeasyPrint: the tests already need a real browser, Chromium draws the page
exactly as teachers see it on screen (same fonts, same SVG charts), and one browser process prints
every page of a build in a fraction of a second each. PDFs are made reproducible by fixing the dates
Chromium stamps into them.

Because they repeat, a page that has not changed need not be printed again: with a ``record`` (the build
keeps it in exports/.cache/printed.json) the printer notes the page each PDF was printed from, and keeps
a PDF whose page, Chromium and printing code are all the same as last time. A teacher's typo fix in a
reading passage reprints the reader and the guide, not the handout.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import BuildError

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]
_PDF_DATE = re.compile(rb"(\(D:)\d{14}")
# Tagged PDFs name table cells after Chromium's DOM node ids, which change from one run to the next:
# a header cell's /ID (node00000993), the /Headers [(node00000993)] of the cells under it, the IDTree.
_NODE_ID = re.compile(rb"\(node(\d+)\)")
_ID_TREE_LEAF = re.compile(
    rb"(?:(?P<limits>/Limits \[\(node\d+\) \(node\d+\)\])\s*)?/Names \[(?P<names>(?:\s*\(node\d+\) \d+ 0 R)+\s*)\]"
)
_ID_TREE_ENTRY = re.compile(rb"\(node\d+\) \d+ 0 R")

# A link from a page to another file of the exports (the guide's glossary terms) would be written into
# the PDF as an absolute file:// address on the machine that built it: broken on every other computer,
# and different in every exports folder. On paper the words stay; the link goes. Links within the page
# (its contents, its notes) stay links.
_UNLINK_LOCAL_FILES = """
for (const a of document.querySelectorAll('a[href]')) {
  const target = new URL(a.href, document.baseURI);
  if (target.protocol === 'file:' && target.pathname !== location.pathname) a.removeAttribute('href');
}
"""

FOOTER = (
    '<div style="font-size:8pt;width:100%;text-align:center;color:#555;'
    'font-family:\'DejaVu Sans\',sans-serif"><span class="pageNumber"></span> / '
    '<span class="totalPages"></span></div>'
)


def chromium_path() -> str:
    """Debian's chromium (or $SOLIDARITY_EDU_CHROMIUM). Raises BuildError saying how to install it."""
    path = os.environ.get("SOLIDARITY_EDU_CHROMIUM") or shutil.which("chromium")
    if not path:
        raise BuildError(
            "Chromium not found: it prints the PDFs. Install Debian's package with "
            "'make system' (or 'apt-get install -y chromium'), or set SOLIDARITY_EDU_CHROMIUM."
        )
    return path


@contextmanager
def browser() -> Iterator[object]:
    """A headless Chromium (Playwright Browser) that makes no network connections of its own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def fixed_pdf_date() -> bytes:
    """The date stamped into every PDF: SOURCE_DATE_EPOCH if set, else 2000-01-01, so builds repeat."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "946684800"))
    return time.strftime("D:%Y%m%d%H%M%S", time.gmtime(epoch)).encode()


def _fix_dates(pdf: bytes) -> bytes:
    """Make the bytes repeat: every PDF date becomes the fixed date, and Chromium's DOM node ids in the
    structure tree are renumbered. Each replacement keeps its length, so byte offsets stay valid."""
    stamp = fixed_pdf_date()[2:]
    pdf = _PDF_DATE.sub(lambda m: m.group(1) + stamp, pdf)
    return _renumber_node_ids(pdf)


def _renumber_node_ids(pdf: bytes) -> bytes:
    """Number Chromium's node ids 1, 2, 3 ... in the order they first appear in the structure elements.

    Chromium hands out node ids as it meets DOM nodes, and on a loaded machine it meets the tables of
    one page in a different order from run to run; so the ids' own order cannot be trusted, only the
    order of the structure elements in the file. The ID tree (``/Limits [...] /Names [(nodeN) 12 0 R
    ...]``) must list names sorted, so each leaf's entries are sorted again by their new numbers and
    its limits set to the first and last: the same entries in a new order, so the same length.
    """
    leaves = list(_ID_TREE_LEAF.finditer(pdf))
    outside, start = [], 0
    for leaf in leaves:
        outside.append(pdf[start : leaf.start()])
        start = leaf.end()
    outside.append(pdf[start:])
    order: dict[bytes, int] = {}
    for match in _NODE_ID.finditer(b"".join(outside) + b"".join(leaf.group(0) for leaf in leaves)):
        order.setdefault(match.group(1), len(order) + 1)
    numbers = {}
    for digits, rank in order.items():
        new = str(rank).zfill(len(digits)).encode()
        numbers[digits] = new if len(new) == len(digits) else digits

    def renumber(match: re.Match) -> bytes:
        return b"(node" + numbers[match.group(1)] + b")"

    return _ID_TREE_LEAF.sub(_sorted_leaf, _NODE_ID.sub(renumber, pdf))


def _sorted_leaf(leaf: re.Match) -> bytes:
    """One ID-tree leaf with its entries sorted by node number and its limits made to match."""
    names = leaf.group("names")
    entries = _ID_TREE_ENTRY.findall(names)
    if b" ".join(entries) != names.strip():
        return leaf.group(0)  # not the plain shape Chromium writes: leave it rather than guess
    entries.sort(key=lambda entry: int(_NODE_ID.match(entry).group(1)))
    lead = names[: len(names) - len(names.lstrip())]
    trail = names[len(names.rstrip()) :]
    text = leaf.group(0)
    if leaf.group("limits"):
        first, last = _NODE_ID.match(entries[0]).group(0), _NODE_ID.match(entries[-1]).group(0)
        text = text.replace(leaf.group("limits"), b"/Limits [" + first + b" " + last + b"]", 1)
    return text.replace(names, lead + b" ".join(entries) + trail, 1)


def _recipe() -> bytes:
    """What a PDF depends on besides its page: this file (print options, the byte fixes), the Chromium
    binary and the fixed date."""
    chromium = Path(chromium_path()).resolve()
    stat = chromium.stat()
    return b"\0".join(
        [
            Path(__file__).read_bytes(),
            str(chromium).encode(),
            str((stat.st_size, stat.st_mtime_ns)).encode(),
            fixed_pdf_date(),
        ]
    )


class PrintRecord:
    """Which page each PDF below ``root`` was printed from, kept in a JSON file between builds.

    An entry names the PDF by its path below ``root`` and holds two digests: of the page with the recipe
    (``_recipe``), and of the PDF written. ``unchanged`` holds only when both still match, so a PDF
    edited or replaced by hand is printed again. The file is written whole at the end of a build, under
    another name first, so an interrupted build leaves the old record or the new one; two builds of the
    same course write the same record.
    """

    def __init__(self, path: Path, root: Path) -> None:
        self.path = path
        self._root = root.resolve()
        self._recipe = hashlib.sha256(_recipe()).digest()
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entries = {}  # no record yet, or a damaged one: every page is printed
        self._entries: dict[str, list] = entries if isinstance(entries, dict) else {}

    def _key(self, pdf_path: Path) -> str:
        full = pdf_path.resolve()
        return full.relative_to(self._root).as_posix() if full.is_relative_to(self._root) else str(full)

    def digest(self, html_path: Path) -> str:
        """The digest of a page and the recipe it would be printed with."""
        return hashlib.sha256(self._recipe + html_path.read_bytes()).hexdigest()

    def unchanged(self, pdf_path: Path, digest: str) -> bool:
        """True when ``pdf_path`` was printed from the page of this ``digest`` and is still as printed."""
        entry = self._entries.get(self._key(pdf_path))
        if not entry or entry[0] != digest:
            return False
        try:
            return hashlib.sha256(pdf_path.read_bytes()).hexdigest() == entry[1]
        except OSError:
            return False

    def printed(self, pdf_path: Path, digest: str, pdf: bytes) -> None:
        self._entries[self._key(pdf_path)] = [digest, hashlib.sha256(pdf).hexdigest()]

    def forget(self, pdf_path: Path) -> None:
        self._entries.pop(self._key(pdf_path), None)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(json.dumps(self._entries, sort_keys=True, indent=0) + "\n", encoding="utf-8")
        partial.replace(self.path)


def _print_one(page, html_path: Path) -> bytes:
    try:
        page.goto(html_path.resolve().as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        page.evaluate(_UNLINK_LOCAL_FILES)
        pdf = page.pdf(
            format="Letter",
            print_background=True,
            prefer_css_page_size=True,
            display_header_footer=True,
            header_template="<div></div>",
            footer_template=FOOTER,
            tagged=True,
        )
    except Exception as err:
        raise BuildError(f"{html_path}: Chromium could not print it to PDF: {err}") from err
    return _fix_dates(pdf)


def print_pdfs(pages: Iterable[tuple[Path, Path]]) -> None:
    """Print each (html, pdf) pair, in this thread. Pages are opened with all network blocked."""
    printer = PdfPrinter()
    for html_path, pdf_path in pages:
        printer.submit(html_path, pdf_path)
    printer.close()


class PdfPrinter:
    """Prints pages in background threads while lessons are still executing.

    Each thread has its own Chromium (Playwright's sync API belongs to the thread that started it) and
    takes the next page from one queue. Chromium starts when the printer starts, so its start-up
    overlaps the first kernels. Printing is the largest part of a build's work (about 0.3 s of Chromium
    a page, a hundred pages); a machine with cores to spare prints on more than one
    (``printer_threads``).
    ``close()`` waits for the queue and re-raises the first error. ``withdraw`` takes back a page whose
    lesson failed after it was handed in: its PDF is never written, or is deleted if it already was.

    With a ``record`` (a PrintRecord), a page whose PDF is unchanged is not printed again (``kept``
    counts them) unless ``reprint`` is set; every PDF printed is noted in the record, saved by ``close()``.
    """

    _STOP = None

    def __init__(self, threads: int | None = None, record: PrintRecord | None = None, reprint: bool = False) -> None:
        import queue
        import threading

        self._record = record
        self._reprint = reprint
        self.kept = 0  # pages whose PDF was kept, unchanged
        self._queue: queue.Queue = queue.Queue()
        self._error: BaseException | None = None
        self._withdrawn: set[Path] = set()
        self._write_lock = threading.Lock()
        self.seconds: dict[Path, float] = {}  # pdf path -> seconds Chromium took to print it
        count = threads or printer_threads()
        self._threads = [threading.Thread(target=self._run, name=f"pdf-printer-{i}", daemon=True) for i in range(count)]
        for thread in self._threads:
            thread.start()

    def _run(self) -> None:
        try:
            with browser() as b:
                context = b.new_context()
                context.route(re.compile(r"^(?!file:|data:|about:).*"), lambda route: route.abort("blockedbyclient"))
                page = context.new_page()
                while (item := self._queue.get()) is not self._STOP:
                    html_path, pdf_path, digest = item
                    if self._is_withdrawn(pdf_path):
                        continue
                    started = time.perf_counter()
                    try:
                        pdf = _print_one(page, html_path)
                    except BuildError:
                        if self._is_withdrawn(pdf_path):
                            continue  # its lesson failed and its page was removed while Chromium read it
                        raise
                    with self._write_lock:
                        if pdf_path not in self._withdrawn:
                            pdf_path.write_bytes(pdf)
                            self.seconds[pdf_path] = time.perf_counter() - started
                            if self._record is not None:
                                self._record.printed(pdf_path, digest, pdf)
                context.close()
        except BaseException as err:  # reported by close()
            if self._error is None:
                self._error = err
            while self._queue.get() is not self._STOP:
                pass

    def submit(self, html_path: Path, pdf_path: Path) -> None:
        """Print ``html_path`` to ``pdf_path`` (at once, if the PDF printed from this page is still there)."""
        digest = self._record.digest(html_path) if self._record is not None else ""
        with self._write_lock:
            self._withdrawn.discard(pdf_path)
            if self._record is not None:
                if not self._reprint and self._record.unchanged(pdf_path, digest):
                    self.kept += 1
                    return
                self._record.forget(pdf_path)
        self._queue.put((html_path, pdf_path, digest))

    def _is_withdrawn(self, pdf_path: Path) -> bool:
        with self._write_lock:
            return pdf_path in self._withdrawn

    def withdraw(self, pdf_path: Path) -> None:
        """Never write ``pdf_path`` from a page handed in earlier; delete it if it is written already. The
        page itself may be removed right after: a withdrawn page is not printed, and if Chromium was
        reading it when it went, that is not an error."""
        with self._write_lock:
            self._withdrawn.add(pdf_path)
            pdf_path.unlink(missing_ok=True)
            if self._record is not None:
                self._record.forget(pdf_path)

    def finish_faster(self) -> None:
        """Called when every lesson has run and the cores are free: when pages are still waiting, start
        more Chromiums (up to one per spare core, at most two more) to print the rest side by side.
        (Starting them earlier, while the last lesson runs, made a one-lesson rebuild slower on two
        cores: their start-up took the kernel's core. Tried 2026-12-07.)"""
        import threading

        spare = min(2, max(0, (os.cpu_count() or 1) - len(self._threads)))
        waiting = self._queue.qsize()
        for i in range(min(spare, waiting // FINISH_FASTER_PAGES)):
            thread = threading.Thread(target=self._run, name=f"pdf-printer-extra-{i}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def seconds_by_folder(self, root: Path) -> dict[str, float]:
        """Seconds spent printing, summed per folder below ``root`` ('lesson/audience')."""
        totals: dict[str, float] = {}
        for pdf_path, seconds in self.seconds.items():
            key = pdf_path.parent.relative_to(root).as_posix()
            totals[key] = totals.get(key, 0.0) + seconds
        return totals

    def close(self) -> None:
        for _ in self._threads:
            self._queue.put(self._STOP)
        for thread in self._threads:
            thread.join()
        if self._record is not None:
            self._record.save()
        if self._error is not None:
            if isinstance(self._error, BuildError):
                raise self._error
            raise BuildError(f"Chromium could not print the PDFs: {self._error}") from self._error


# A Chromium takes about half a second to start: worth it only with this many pages per extra one.
FINISH_FASTER_PAGES = 4


def printer_threads() -> int:
    """How many Chromiums print at once: one per two cores, since the kernels need the others. (On this
    project's two-core machine a second Chromium made a cold build no faster and a one-lesson rebuild
    slower: bench/, 2026-12-07.)"""
    return max(1, (os.cpu_count() or 1) // 2)
