"""The private journal: every answer a learner writes, stored on their own machine, never in a notebook.

- One SQLite file, by default ``~/.local/share/solidarity-edu/journal.sqlite3``; set the environment
  variable ``SOLIDARITY_EDU_JOURNAL`` to a file path to move it.
- Every save adds a new version; nothing is overwritten. The latest version is what a lesson shows.
- The folder is created 0700 and the file 0600: readable by its owner only.
- Write-ahead logging: a kernel killed mid-write loses at most the save in flight, never the file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import JournalError

ENV_VAR = "SOLIDARITY_EDU_JOURNAL"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    version   INTEGER PRIMARY KEY AUTOINCREMENT,
    lesson    TEXT NOT NULL,
    prompt    TEXT NOT NULL,
    value     TEXT NOT NULL,
    saved_at  TEXT NOT NULL,
    question  TEXT
);
CREATE INDEX IF NOT EXISTS answers_by_prompt ON answers (lesson, prompt, version);
"""


def default_path() -> Path:
    """Where the journal lives: $SOLIDARITY_EDU_JOURNAL, else ~/.local/share/solidarity-edu/."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "solidarity-edu" / "journal.sqlite3"


def lesson_of(prompt_id: str) -> str:
    """The lesson key of a prompt id ('07-who' -> '07'); an id from before the id grammar keeps the
    part before its first dash, so an old answer still lands under a lesson."""
    from .errors import NotebookError
    from .lesson import lesson_key

    try:
        return lesson_key(prompt_id)
    except NotebookError:
        return prompt_id.split("-", 1)[0]


@dataclass(frozen=True)
class Entry:
    version: int
    lesson: str
    prompt: str
    value: Any
    saved_at: str
    question: str = ""


class Journal:
    """A learner's answers. ``Journal().save('07-who', 'my answer')``; ``Journal().latest('07-who')``."""

    _lock = threading.Lock()

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_path()

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self.path.exists():
                fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
                os.close(fd)
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA synchronous=FULL")
            self._prepare(conn)
        except (OSError, sqlite3.Error) as err:
            raise JournalError(
                f"{self.path}: cannot open the journal ({err}); check that the folder is yours and "
                f"writable, or set {ENV_VAR} to another file"
            ) from err
        return conn

    @staticmethod
    def _prepare(conn: sqlite3.Connection) -> None:
        """WAL mode and the table, set up once; another kernel doing the same at the same moment is
        waited for (changing the journal mode does not honour the busy timeout, so it is retried)."""
        for attempt in range(50):
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    conn.execute("PRAGMA journal_mode=WAL")
                has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'answers'").fetchone()
                if not has_table:
                    conn.executescript(_SCHEMA)
                columns = {row[1] for row in conn.execute("PRAGMA table_info(answers)")}
                if "question" not in columns:  # a journal made before questions were stored
                    conn.execute("ALTER TABLE answers ADD COLUMN question TEXT")
                return
            except sqlite3.OperationalError as err:
                if ("locked" not in str(err) and "busy" not in str(err)) or attempt == 49:
                    raise
                time.sleep(0.05 + 0.01 * attempt)

    def save(self, prompt_id: str, value: Any, question: str = "") -> Entry:
        """Add a new version of the answer to ``prompt_id``; returns what was saved.

        The insert is one transaction: after it returns, the answer is on disk (synchronous=FULL)."""
        saved_at = time.strftime("%Y-%m-%dT%H:%M:%S")
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError) as err:
            raise JournalError(f"the answer to {prompt_id!r} cannot be stored ({err})") from err
        with self._lock, closing(self._connect()) as conn:
            try:
                cur = conn.execute(
                    "INSERT INTO answers (lesson, prompt, value, saved_at, question) VALUES (?, ?, ?, ?, ?)",
                    (lesson_of(prompt_id), prompt_id, text, saved_at, question),
                )
            except sqlite3.Error as err:
                raise JournalError(f"{self.path}: could not save the answer to {prompt_id!r}: {err}") from err
            return Entry(cur.lastrowid, lesson_of(prompt_id), prompt_id, value, saved_at, question)

    _COLUMNS = "version, lesson, prompt, value, saved_at, COALESCE(question, '')"

    @staticmethod
    def _entry(row: tuple) -> Entry:
        return Entry(row[0], row[1], row[2], json.loads(row[3]), row[4], row[5])

    def latest(self, prompt_id: str) -> Entry | None:
        """The most recent answer to ``prompt_id``, or None."""
        with closing(self._connect()) as conn:
            row = conn.execute(
                f"SELECT {self._COLUMNS} FROM answers WHERE lesson = ? AND prompt = ? ORDER BY version DESC LIMIT 1",
                (lesson_of(prompt_id), prompt_id),
            ).fetchone()
        return self._entry(row) if row else None

    def history(self, prompt_id: str | None = None) -> list[Entry]:
        """Every saved version, oldest first (of one prompt, or of all)."""
        query = f"SELECT {self._COLUMNS} FROM answers"
        args: tuple = ()
        if prompt_id:
            query += " WHERE lesson = ? AND prompt = ?"
            args = (lesson_of(prompt_id), prompt_id)
        with closing(self._connect()) as conn:
            rows = conn.execute(query + " ORDER BY version", args).fetchall()
        return [self._entry(r) for r in rows]

    def latest_answers(self) -> list[Entry]:
        """The latest version of every answer, in lesson and prompt order."""
        with closing(self._connect()) as conn:
            rows = conn.execute(
                f"SELECT {self._COLUMNS} FROM answers WHERE version IN "
                "(SELECT MAX(version) FROM answers GROUP BY lesson, prompt) ORDER BY lesson, prompt"
            ).fetchall()
        return [self._entry(r) for r in rows]

    def exists(self) -> bool:
        return self.path.exists()

    def delete(self) -> list[Path]:
        """Remove the journal file and its write-ahead log. Returns the files removed."""
        removed = []
        for path in (
            self.path,
            self.path.with_name(self.path.name + "-wal"),
            self.path.with_name(self.path.name + "-shm"),
        ):
            if path.exists():
                path.unlink()
                removed.append(path)
        return removed
