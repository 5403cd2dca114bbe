"""Where shares live: one table, through SQLAlchemy (SQLite by default, PostgreSQL given its URL).

Anonymity by construction: a share row holds the answer and an *owner key*, an HMAC of (participant,
prompt) under a secret the database does not hold. The service can find a participant's own share again
(to replace or withdraw it) because it knows who is asking; someone reading the table cannot tell who
wrote a row, nor link two rows of the same person, without the secret. Rows carry the day only, not the
time, and the facilitator's view never returns owner keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import secrets
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..errors import CircleError
from . import DATABASE_ENV, SECRET_ENV
from .shares import Share

log = logging.getLogger(__name__)

_METADATA = sa.MetaData()
SHARES = sa.Table(
    "circle_shares",
    _METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
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


def load_secret(url: str) -> bytes:
    """The owner-key secret: $SOLIDARITY_EDU_CIRCLE_SECRET, else a 0600 file beside a SQLite database."""
    env = os.environ.get(SECRET_ENV)
    if env:
        return env.encode("utf-8")
    path = _sqlite_file(url)
    if path is None:
        raise CircleError(
            f"the circle store at {url.split('@')[-1]} needs a secret: set {SECRET_ENV} to a long random "
            "text (for example the output of 'openssl rand -hex 32') and keep it the same across restarts"
        )
    secret_file = path.with_name(path.name + ".secret")
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
        self._secret = secret if secret is not None else load_secret(self.url)
        try:
            self.engine = sa.create_engine(self.url, future=True, pool_pre_ping=True)
        except (sa.exc.ArgumentError, ImportError) as err:
            raise CircleError(
                f"cannot use the circle database URL {self.url.split('@')[-1]!r}: {err}. Use sqlite:///PATH, or "
                "postgresql+psycopg://USER:PASSWORD@HOST/DB with the postgres extra installed"
            ) from err
        if path is not None:
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self.shares = SHARES
        try:
            _METADATA.create_all(self.engine)
        except sa.exc.SQLAlchemyError as err:
            # Two stores opening an empty database at once both try CREATE TABLE; one loses. Fine if it exists.
            if not sa.inspect(self.engine).has_table("circle_shares"):
                raise CircleError(f"cannot open the circle store at {self.url.split('@')[-1]}: {err}") from err
        if path is not None and path.exists():
            os.chmod(path, 0o600)

    def _owner_key(self, participant: str, prompt: str) -> str:
        message = f"{participant}\x00{prompt}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

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
        # One atomic upsert: two puts for the same person and prompt at once cannot both insert.
        insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert
        statement = insert(self.shares).values(**row)
        statement = statement.on_conflict_do_update(index_elements=["owner_key"], set_=row)
        with self.engine.begin() as conn:
            conn.execute(statement)

    def withdraw(self, participant: str, prompt: str) -> bool:
        """Remove this participant's share for one prompt; True if there was one."""
        key = self._owner_key(participant, prompt)
        with self.engine.begin() as conn:
            return conn.execute(sa.delete(self.shares).where(self.shares.c.owner_key == key)).rowcount > 0

    def is_shared(self, participant: str, prompt: str) -> bool:
        key = self._owner_key(participant, prompt)
        with self.engine.connect() as conn:
            return conn.execute(sa.select(self.shares.c.id).where(self.shares.c.owner_key == key)).first() is not None

    def all_shares(self, lesson: str | None = None) -> list[Share]:
        """Every share (of one lesson, e.g. '07'), without owner keys, in no meaningful order."""
        columns = [self.shares.c[name] for name in ("prompt", "question", "kind", "value", "options", "steps")]
        query = sa.select(*columns).order_by(self.shares.c.prompt, self.shares.c.owner_key)
        if lesson:
            query = query.where(self.shares.c.lesson == lesson)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [Share(r.prompt, r.question, r.kind, json.loads(r.value), json.loads(r.options), r.steps) for r in rows]

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - called by SQLAlchemy
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
