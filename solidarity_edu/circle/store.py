"""Where shares live: one table, through SQLAlchemy (SQLite by default, PostgreSQL given its URL).

Anonymity by construction: a share row holds the answer and an *owner key*, an HMAC of (participant,
prompt) under a secret the database does not hold. The service can find a participant's own share again
(to replace or withdraw it) because it knows who is asking; someone reading the table cannot tell who
wrote a row, nor link two rows of the same person, without the secret. Rows carry the day only, not the
time, and the facilitator's view never returns owner keys.

Row ids are random (not 1, 2, 3 in the order shares arrived), so neither the ids nor SQLite's storage
order (its rowid is the id) keep one person's shares together. With SQLite every file of the store (the
database, its ``-wal`` and ``-shm``) is created 0600, deleted content is overwritten (``secure_delete``),
and a withdrawal is followed by a WAL checkpoint that truncates the ``-wal`` file, so a withdrawn text is
gone from the disk, not only from the table. (PostgreSQL keeps dead rows until VACUUM: deploy/README.md.)

A facilitator can hide a share from the summary: ``circle_hidden`` keeps its owner key, so the share stays
hidden when its author replaces it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import secrets
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..errors import CircleError, ShareRejected
from . import DATABASE_ENV, SECRET_ENV, SECRET_FILE_ENV
from .catalogue import Catalogue
from .shares import Share, StoredShare, validate_share

log = logging.getLogger(__name__)

_METADATA = sa.MetaData()
SHARES = sa.Table(
    "circle_shares",
    _METADATA,
    # Random, never in arrival order (see put). 31 bits: the same column type as the first release's tables.
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("owner_key", sa.String(64), nullable=False, unique=True),
    sa.Column("prompt", sa.String(80), nullable=False, index=True),
    sa.Column("lesson", sa.String(8), nullable=False, index=True),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("options", sa.Text, nullable=False),
    sa.Column("steps", sa.Integer, nullable=False),
    sa.Column("shared_on", sa.Date, nullable=False),
)
HIDDEN = sa.Table("circle_hidden", _METADATA, sa.Column("owner_key", sa.String(64), primary_key=True))
_ID_LIMIT = 2**31 - 1
_PUT_TRIES = 8
_SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Records:
    """What the summary reads: the readable, visible shares, and how many rows were left out."""

    shares: list[StoredShare]
    unreadable: int = 0  # rows that no longer fit their prompt (an old row, a changed lesson)
    hidden: int = 0  # rows a facilitator hid


def default_database_url() -> str:
    """$SOLIDARITY_EDU_CIRCLE_DATABASE_URL, else a SQLite file beside the learner's journal."""
    env = os.environ.get(DATABASE_ENV)
    if env:
        return env
    from ..journal import default_path

    return f"sqlite:///{default_path().parent / 'circle.sqlite3'}"


def _sqlite_file(url: str) -> Path | None:
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url[len("sqlite:///") :])
    return None


def _private_files(path: Path) -> None:
    """The database and its companions readable by their owner only (SQLite gives -wal/-shm the db's mode)."""
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for suffix in _SQLITE_SUFFIXES:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.chmod(companion, 0o600)


def secret_file_for(database: Path) -> Path:
    """Where a SQLite store's secret is kept: ``$SOLIDARITY_EDU_CIRCLE_SECRET_FILE``, else a 0600 file
    in the running user's own configuration folder (``~/.config/solidarity-edu/circle-secrets/``), named
    after the database's path. Never beside the database: a copy of the database's folder must not
    carry the secret that maps its rows back to people."""
    chosen = os.environ.get(SECRET_FILE_ENV)
    if chosen:
        return Path(chosen)
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    digest = hashlib.sha256(str(database.resolve()).encode("utf-8")).hexdigest()[:16]
    return config / "solidarity-edu" / "circle-secrets" / f"{database.stem}-{digest}.secret"


def load_secret(url: str) -> bytes:
    """The owner-key secret: $SOLIDARITY_EDU_CIRCLE_SECRET, else a 0600 file kept apart from a SQLite
    database (see :func:`secret_file_for`), made on first use.

    A store made before the secret moved has it beside the database (``circle.sqlite.secret``); that
    file is still used, so participants can still withdraw their shares, with a warning saying how to
    move it."""
    env = os.environ.get(SECRET_ENV)
    if env:
        return env.encode("utf-8")
    path = _sqlite_file(url)
    if path is None:
        raise CircleError(
            f"the circle store at {url.split('@')[-1]} needs a secret: set {SECRET_ENV} to a long random "
            "text (for example the output of 'openssl rand -hex 32') and keep it the same across restarts"
        )
    beside = path.with_name(path.name + ".secret")
    secret_file = secret_file_for(path)
    if beside.exists() and not secret_file.exists():
        log.warning(
            "the circle's secret %s sits beside its database, so one copy of that folder holds both: move it "
            "with 'mv %s %s' (or set %s to a path outside the database's folder)",
            beside,
            beside,
            secret_file,
            SECRET_FILE_ENV,
        )
        secret_file = beside
    if not secret_file.exists():
        secret_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return secret_file.read_text().strip().encode("utf-8")


class CircleStore:
    """The circle's shares. ``participant`` is whoever is asking: a hub user name or a local id."""

    def __init__(self, url: str | None = None, secret: bytes | None = None) -> None:
        self.url = url or default_database_url()
        path = _sqlite_file(self.url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            _private_files(path)
        self._secret = secret if secret is not None else load_secret(self.url)
        try:
            self.engine = sa.create_engine(self.url, future=True, pool_pre_ping=True)
        except (sa.exc.ArgumentError, ImportError) as err:
            raise CircleError(
                f"cannot use the circle database URL {self.url.split('@')[-1]!r}: {err}. Use sqlite:///PATH, or "
                "postgresql+psycopg://USER:PASSWORD@HOST/DB with the postgres extra installed"
            ) from err
        if path is not None:
            sa.event.listen(self.engine, "connect", partial(_sqlite_pragmas, path))
        self.shares, self.hidden = SHARES, HIDDEN
        try:
            _METADATA.create_all(self.engine)
        except sa.exc.SQLAlchemyError as err:
            # Two stores opening an empty database at once both try CREATE TABLE; one loses. Fine if it exists.
            if not sa.inspect(self.engine).has_table("circle_shares"):
                raise CircleError(f"cannot open the circle store at {self.url.split('@')[-1]}: {err}") from err
        if path is not None:
            _private_files(path)
        self._sqlite = path is not None

    def owner_key(self, participant: str, prompt: str) -> str:
        """The HMAC that finds this participant's share of ``prompt`` again (useless without the secret)."""
        message = f"{participant}\x00{prompt}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    _owner_key = owner_key

    def put(self, participant: str, share: Share) -> None:
        """Share (or replace) this participant's answer to one prompt."""
        key = self._owner_key(participant, share.prompt)
        row = {
            "owner_key": key,
            "prompt": share.prompt,
            "lesson": share.lesson,
            "question": share.question,
            "kind": share.kind,
            "value": json.dumps(share.value, ensure_ascii=False),
            "options": json.dumps(share.options, ensure_ascii=False),
            "steps": share.steps,
            "shared_on": dt.date.today(),
        }
        # One atomic upsert: two puts for the same person and prompt at once cannot both insert. A new row
        # gets a random id; a replaced row keeps its own. If the random id is taken, try another.
        insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert
        for attempt in range(_PUT_TRIES):
            statement = insert(self.shares).values(id=secrets.randbelow(_ID_LIMIT) + 1, **row)
            statement = statement.on_conflict_do_update(index_elements=["owner_key"], set_=row)
            try:
                with self.engine.begin() as conn:
                    conn.execute(statement)
                return
            except sa.exc.IntegrityError as err:  # the id, not the owner key (that one is an update)
                if attempt == _PUT_TRIES - 1:
                    raise CircleError(f"could not store the share ({err.orig}); try again") from err

    def withdraw(self, participant: str, prompt: str) -> bool:
        """Remove this participant's share for one prompt; True if there was one."""
        key = self._owner_key(participant, prompt)
        with self.engine.begin() as conn:
            removed = conn.execute(sa.delete(self.shares).where(self.shares.c.owner_key == key)).rowcount > 0
        if removed and self._sqlite:
            self._checkpoint()
        return removed

    def _checkpoint(self) -> None:
        """Copy the WAL into the database and truncate it: the withdrawn text leaves the -wal file too."""
        with self.engine.connect() as conn:
            busy, _, _ = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        if busy:
            log.warning(
                "the circle store's WAL could not be truncated now (a reader was busy); it will be at the next withdrawal"
            )

    def hide(self, share_id: int) -> str | None:
        """Hide a share from the summary (kept hidden if its author replaces it); its prompt, or None if
        there is no such share."""
        query = sa.select(self.shares.c.owner_key, self.shares.c.prompt).where(self.shares.c.id == share_id)
        with self.engine.begin() as conn:
            found = conn.execute(query).first()
            if found is None:
                return None
            insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert
            conn.execute(insert(self.hidden).values(owner_key=found.owner_key).on_conflict_do_nothing())
        return found.prompt

    def is_shared(self, participant: str, prompt: str) -> bool:
        key = self._owner_key(participant, prompt)
        with self.engine.connect() as conn:
            return conn.execute(sa.select(self.shares.c.id).where(self.shares.c.owner_key == key)).first() is not None

    def records(self, lesson: str | None = None, catalogue: Catalogue | None = None) -> Records:
        """Every visible share (of one lesson, e.g. '07') with its row id, checked again by
        :func:`.shares.validate_share` (against ``catalogue`` when given): a row that no longer fits is
        counted in ``unreadable`` and left out, so one bad row never breaks a summary."""
        c = self.shares.c
        hidden = sa.exists().where(self.hidden.c.owner_key == c.owner_key)
        query = sa.select(c.id, c.prompt, c.question, c.kind, c.value, c.options, c.steps, hidden.label("hidden"))
        query = query.order_by(c.prompt, c.owner_key)
        if lesson:
            query = query.where(c.lesson == lesson)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        shares, unreadable, hidden_count = [], 0, 0
        for row in rows:
            if row.hidden:
                hidden_count += 1
                continue
            try:
                share = _share_from_row(row, catalogue)
            except (ValueError, TypeError, RecursionError, ShareRejected) as err:
                unreadable += 1
                log.warning("a stored share of %s no longer fits its prompt and is left out (%s)", row.prompt, err)
                continue
            shares.append(StoredShare(row.id, share))
        return Records(shares, unreadable, hidden_count)

    def all_shares(self, lesson: str | None = None) -> list[Share]:
        """Every visible share (of one lesson, e.g. '07'), without owner keys, in no meaningful order."""
        return [stored.share for stored in self.records(lesson).shares]

    def close(self) -> None:
        self.engine.dispose()


def _share_from_row(row: Any, catalogue: Catalogue | None) -> Share:
    payload = {"prompt": row.prompt, "question": row.question, "kind": row.kind, "value": json.loads(row.value)}
    if catalogue is None:
        payload["options"] = json.loads(row.options)
    if row.kind == "scale":
        payload["steps"] = row.steps
    return validate_share(payload, catalogue)


def _sqlite_pragmas(path: Path, dbapi_connection, _record) -> None:  # pragma: no cover - called by SQLAlchemy
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA secure_delete=ON")  # deleted text is overwritten with zeros, not left in free pages
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
    _private_files(path)
