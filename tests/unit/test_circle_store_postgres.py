"""The circle store on a real PostgreSQL server: the same behaviours as on SQLite (test_circle_store.py).

Each run starts a private cluster (initdb into a temporary folder, pg_ctl start on 127.0.0.1 and a free
port, stopped with 'pg_ctl stop -m immediate' at the end) from Debian's postgresql package, which
'make system' installs. It never uses a system cluster. PostgreSQL refuses to run as root, so when the
tests run as root (here and in CI) the server runs as the unprivileged 'postgres' user the package
creates (or 'nobody' without it); otherwise it runs as whoever runs the tests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import itertools
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import psycopg
import pytest
from fixtures.servers import free_port

from solidarity_edu.circle import SECRET_ENV
from solidarity_edu.circle.shares import validate_share
from solidarity_edu.circle.store import CircleStore
from solidarity_edu.circle.summary import summarize
from solidarity_edu.errors import CircleError

ADMIN = "admin"
USER = "circle"


def _binaries() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin that has the server (not only the client)."""
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if not found:
        pytest.fail(
            "PostgreSQL is not installed; run 'make system' (installs Debian's postgresql: initdb, pg_ctl, postgres)"
        )
    return Path(max(found, key=lambda p: int(re.sub(r"\D", "", Path(p).parent.parent.name) or 0))).parent


def _server_account() -> dict:
    """Keyword arguments for subprocess that run PostgreSQL as an unprivileged user when we are root."""
    if os.geteuid() != 0:
        return {}
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
    pytest.fail("the tests run as root and there is no 'postgres' (or 'nobody') user to run PostgreSQL as")


def _report(request, line: str) -> None:
    """Show a line in pytest's output even though output is captured (the CI cost of the cluster)."""
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is None:  # pragma: no cover - pytest -p no:capture
        print(line)
        return
    with capture.global_and_fixture_disabled():
        print(line)


@pytest.fixture(scope="module")
def cluster(request):
    """A private, temporary PostgreSQL cluster: yields a dict with host, port, and an admin password."""
    bin_dir = _binaries()
    account = _server_account()
    # Not pytest's tmp_path: /tmp/pytest-of-root is 0700, so the postgres user could not reach it.
    base = Path(tempfile.mkdtemp(prefix="solidarity-edu-pg-"))
    data, log_file, pwfile = base / "data", base / "server.log", base / "pwfile"
    admin_password = secrets.token_hex(16)
    pwfile.write_text(admin_password + "\n")
    if account:
        os.chown(base, account["user"], account["group"])
        os.chown(pwfile, account["user"], account["group"])

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(bin_dir / args[0]), *args[1:]], capture_output=True, text=True, timeout=120, cwd=base, **account
        )

    started = False
    try:
        begin = time.monotonic()
        # Passwords, not trust: the cluster listens on loopback only and lives for one test module, but any
        # local user could connect to it meanwhile, and the circle service connects with a password in
        # production. scram-sha-256 for TCP; the unix socket (in our own 0700 folder) is unused.
        result = run(
            "initdb",
            "--pgdata",
            str(data),
            "--username",
            ADMIN,
            "--pwfile",
            str(pwfile),
            "--auth-host=scram-sha-256",
            "--auth-local=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",  # a throwaway cluster: no need to fsync it
        )
        pwfile.unlink()
        assert result.returncode == 0, f"initdb failed:\n{result.stdout}\n{result.stderr}"
        initdb_seconds = time.monotonic() - begin

        for _attempt in range(3):  # another process may take the free port before the server binds it
            port = free_port()
            with open(data / "postgresql.conf", "a") as conf:
                conf.write(
                    f"\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{base}'\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                )
            begin = time.monotonic()
            result = run("pg_ctl", "--pgdata", str(data), "--log", str(log_file), "--wait", "--timeout=60", "start")
            if result.returncode == 0:
                started = True
                break
            log = log_file.read_text(errors="replace") if log_file.exists() else ""
            if "could not bind" not in log and "in use" not in log:
                break
        if not started:
            log = log_file.read_text(errors="replace") if log_file.exists() else ""
            pytest.fail(f"pg_ctl start failed:\n{result.stdout}\n{result.stderr}\n{log[-3000:]}")
        start_seconds = time.monotonic() - begin
        _report(
            request,
            f"\nprivate PostgreSQL ({bin_dir.parent.name}) as {pwd.getpwuid(account.get('user', os.geteuid())).pw_name} "
            f"on 127.0.0.1:{port}: initdb {initdb_seconds:.2f}s + start {start_seconds:.2f}s "
            f"= {initdb_seconds + start_seconds:.2f}s",
        )
        yield {"host": "127.0.0.1", "port": port, "admin_password": admin_password}
    finally:
        pid_file = data / "postmaster.pid"
        if pid_file.exists():  # also after a failed or timed-out start: never leave a server running
            stop = run("pg_ctl", "--pgdata", str(data), "--mode=immediate", "--wait", "stop")
            if stop.returncode != 0 and pid_file.exists():  # kill the postmaster we started
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
        shutil.rmtree(base, ignore_errors=True)


def _admin(cluster, dbname: str = "postgres") -> psycopg.Connection:
    return psycopg.connect(
        host=cluster["host"],
        port=cluster["port"],
        user=ADMIN,
        password=cluster["admin_password"],
        dbname=dbname,
        autocommit=True,
    )


@pytest.fixture(scope="module")
def circle_role(cluster):
    """An ordinary login role (not a superuser), as the circle service would have: yields its password."""
    password = secrets.token_hex(16)
    with _admin(cluster) as conn:
        conn.execute(f"CREATE ROLE {USER} LOGIN PASSWORD '{password}'")
    return password


_numbers = itertools.count()


@pytest.fixture
def database(cluster, circle_role):
    """A fresh database owned by the circle role for each test: yields (SQLAlchemy URL, raw connection info)."""
    name = f"circle_{next(_numbers)}"
    with _admin(cluster) as conn:
        conn.execute(f"CREATE DATABASE {name} OWNER {USER}")
    info = {"host": cluster["host"], "port": cluster["port"], "user": USER, "password": circle_role, "dbname": name}
    url = f"postgresql+psycopg://{USER}:{circle_role}@{cluster['host']}:{cluster['port']}/{name}"
    yield url, info
    with _admin(cluster) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def secret(monkeypatch):
    value = secrets.token_hex(32)
    monkeypatch.setenv(SECRET_ENV, value)
    return value


@pytest.fixture
def store(database, secret):
    s = CircleStore(database[0])
    yield s
    s.close()


def raw_rows(info: dict, sql: str = "select * from circle_shares order by id") -> list[tuple]:
    with psycopg.connect(**info) as conn:
        return conn.execute(sql).fetchall()


def text(prompt, value, question="Why?"):
    return validate_share({"prompt": prompt, "question": question, "kind": "text", "value": value})


def test_a_share_is_replaced_withdrawn_and_never_stored_with_a_name(store, database):
    store.put("ana", text("07-who", "first"))
    store.put("ana", text("07-who", "second"))
    store.put("ben", text("07-who", "ben's"))
    store.put("ana", text("08-how", "later lesson"))
    assert sorted(s.value for s in store.all_shares("07")) == ["ben's", "second"]
    assert [s.value for s in store.all_shares("08")] == ["later lesson"]
    assert store.is_shared("ana", "07-who") and not store.is_shared("cy", "07-who")
    assert not store.is_shared("ben", "08-how")
    assert store.withdraw("ana", "07-who") is True
    assert sorted(s.value for s in store.all_shares()) == ["ben's", "later lesson"]
    assert store.withdraw("ana", "07-who") is False
    assert not store.is_shared("ana", "07-who") and store.is_shared("ana", "08-how")
    # "qxzw" has letters outside hexadecimal, so a stored hash or a row id can never contain it by chance.
    store.put("user-ben-qxzw", text("07-why", "because"))
    raw = repr(raw_rows(database[1]))
    assert "because" in raw and "user-ben" not in raw and "qxzw" not in raw
    assert len(raw_rows(database[1])) == 3


def test_rows_carry_the_day_only(store, database):
    store.put("ana", text("07-who", "a"))
    (shared_on,) = raw_rows(database[1], "select shared_on from circle_shares")[0]
    assert type(shared_on) is dt.date and shared_on == dt.date.today()
    (column_type,) = raw_rows(
        database[1],
        "select data_type from information_schema.columns where table_name = 'circle_shares' and column_name = 'shared_on'",
    )[0]
    assert column_type == "date"


def test_owner_keys_cannot_link_two_shares_of_one_person(store, database):
    store.put("ana", text("07-who", "a"))
    store.put("ana", text("07-why", "b"))
    keys = [r[0] for r in raw_rows(database[1], "select owner_key from circle_shares")]
    assert len(keys) == 2 and len(set(keys)) == 2
    assert all(re.fullmatch(r"[0-9a-f]{64}", k) for k in keys) and not any("ana" in k for k in keys)
    # Nothing else in a row points back at the person either: the rows differ only in their answer.
    columns = raw_rows(database[1], "select prompt, lesson, kind, steps, shared_on from circle_shares order by id")
    assert columns[0][1:] == columns[1][1:]


def test_postgresql_without_a_secret_is_a_clear_error_and_touches_nothing(database, monkeypatch):
    url, info = database
    monkeypatch.delenv(SECRET_ENV, raising=False)
    with pytest.raises(CircleError, match=SECRET_ENV) as caught:
        CircleStore(url)
    assert info["password"] not in str(caught.value)  # the URL's password is not repeated in the message
    assert raw_rows(info, "select to_regclass('circle_shares')") == [(None,)]


UNICODE = 'Ọ̀rẹ́ "quoted" \' ; DROP TABLE x; -- 團結 ✊🏽 \\n back\\slash'


def test_unicode_and_quotes_round_trip_exactly(store, database):
    with psycopg.connect(**database[1], autocommit=True) as conn:
        conn.execute("CREATE TABLE x (id integer)")
    store.put("Ọ̀rẹ́ 'o", text("07-who", UNICODE, question=f"Q: {UNICODE}"))
    choice = {"prompt": "07-c", "question": "Which?", "kind": "choice", "options": ["Ọ̀rẹ́", 'O\'Brien "x"', "團結"]}
    store.put("ana", validate_share({**choice, "value": 'O\'Brien "x"'}))
    store.put(
        "ana",
        validate_share(
            {
                "prompt": "08-s",
                "question": "Rate",
                "kind": "scale",
                "options": ["Ọ̀rẹ́", "團結"],
                "steps": 5,
                "value": {"Ọ̀rẹ́": 4, "團結": 2},
            }
        ),
    )
    by_prompt = {s.prompt: s for s in store.all_shares()}
    assert by_prompt["07-who"].value == UNICODE and by_prompt["07-who"].question == f"Q: {UNICODE}"
    assert by_prompt["07-c"].value == 'O\'Brien "x"' and by_prompt["07-c"].options == choice["options"]
    assert by_prompt["08-s"].value == {"Ọ̀rẹ́": 4, "團結": 2}
    assert store.is_shared("Ọ̀rẹ́ 'o", "07-who") and not store.is_shared("Ọ̀rẹ́ 'O", "07-who")
    # Stored as UTF-8 text, not as \u escapes, and the tables are all still there.
    stored = raw_rows(database[1], "select value from circle_shares where prompt = '07-who'")[0][0]
    assert stored == json.dumps(UNICODE, ensure_ascii=False) and "Ọ̀rẹ́" in stored
    assert raw_rows(database[1], "select to_regclass('x') is not null, to_regclass('circle_shares') is not null") == [
        (True, True)
    ]
    assert store.withdraw("Ọ̀rẹ́ 'o", "07-who") is True and "07-who" not in {s.prompt for s in store.all_shares()}


def test_summary_of_shares_read_back_from_postgresql(store):
    choice = {"prompt": "07-c", "question": "Which?", "kind": "choice", "options": ["Yes", "No", "Unsure"]}
    for who, pick in [("a", "Yes"), ("b", "Yes"), ("c", "No")]:
        store.put(who, validate_share({**choice, "value": pick}))
    scale = {"prompt": "08-five-cs", "question": "Rate", "kind": "scale", "options": ["Clarity", "Care"], "steps": 5}
    store.put("a", validate_share({**scale, "value": {"Clarity": 4, "Care": 2}}))
    store.put("b", validate_share({**scale, "value": {"Clarity": 5, "Care": 3}}))
    order = {"prompt": "08-order", "question": "Order", "kind": "order", "options": ["x", "y", "z"]}
    store.put("a", validate_share({**order, "value": ["z", "x", "y"]}))
    by_prompt = {s["prompt"]: s for s in summarize(store.all_shares(), min_shares=2)}
    assert by_prompt["07-c"]["counts"] == {"Yes": 2, "No": 1, "Unsure": 0}
    assert by_prompt["08-five-cs"]["averages"] == {"Clarity": 4.5, "Care": 2.5}
    assert "08-order" not in by_prompt, "one share is never shown alone"
    assert [s.value for s in store.all_shares("08") if s.prompt == "08-order"] == [["z", "x", "y"]]
    assert {s.steps for s in store.all_shares("08") if s.kind == "scale"} == {5}


def test_random_ids_and_hiding_on_postgresql(store, database):
    for n in range(6):
        store.put(f"p{n}", text("07-who", f"answer {n}"))
    ids = [i for (i,) in raw_rows(database[1], "select id from circle_shares order by value")]
    assert len(set(ids)) == 6 and max(ids) > 10_000, ids  # not 1, 2, 3, ... in arrival order
    target = next(s for s in store.records().shares if s.share.value == "answer 3")
    assert store.hide(target.id) == "07-who"
    store.put("p3", text("07-who", "answer 3, rewritten"))
    assert sorted(s.value for s in store.all_shares()) == [f"answer {n}" for n in (0, 1, 2, 4, 5)]


def test_two_stores_writing_from_many_threads_all_land(store, database, secret):
    other = CircleStore(database[0])
    threads_count, puts = 8, 20
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        target = store if n % 2 else other
        try:
            barrier.wait(timeout=30)
            for i in range(puts):
                target.put(f"participant-{n}-{i}", text(f"{7 + n % 2:02d}-who", f"answer {n}/{i}"))
        except BaseException as err:  # collected and asserted below
            errors.append(err)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads_count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    try:
        assert not errors, errors
        assert not any(w.is_alive() for w in workers)
        values = sorted(s.value for s in other.all_shares())
        assert values == sorted(f"answer {n}/{i}" for n in range(threads_count) for i in range(puts))
        assert len(store.all_shares("07")) == len(store.all_shares("08")) == threads_count * puts // 2
        assert raw_rows(database[1], "select count(distinct owner_key), count(*) from circle_shares") == [(160, 160)]
        assert all(store.is_shared(f"participant-{n}-{i}", f"{7 + n % 2:02d}-who") for n in range(8) for i in range(20))
    finally:
        other.close()


def test_the_same_share_put_twice_at_once_is_not_an_error(store, database):
    other = CircleStore(database[0])
    errors: list[BaseException] = []
    rounds = 30
    barrier = threading.Barrier(2)

    def work(target, label: str) -> None:
        for i in range(rounds):
            try:
                barrier.wait(timeout=30)
                target.put("ana", text("07-who", f"{label} {i}"))
            except BaseException as err:  # collected and asserted below
                errors.append(err)

    workers = [threading.Thread(target=work, args=(s, label)) for s, label in ((store, "a"), (other, "b"))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    other.close()
    assert not errors, errors[:1]
    assert len(raw_rows(database[1])) == 1


def test_stores_opened_at_once_on_an_empty_database_all_open(database, secret):
    url, info = database
    errors: list[BaseException] = []
    for _round in range(5):  # the race is lost in most rounds; five make a miss very unlikely
        with psycopg.connect(**info, autocommit=True) as conn:
            conn.execute("DROP TABLE IF EXISTS circle_shares")
        barrier = threading.Barrier(8)

        def work(barrier: threading.Barrier) -> None:
            try:
                barrier.wait(timeout=30)
                CircleStore(url).close()
            except BaseException as err:  # collected and asserted below
                errors.append(err)

        workers = [threading.Thread(target=work, args=(barrier,)) for _ in range(8)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
    assert not errors, errors[:1]


def test_a_store_reopened_later_sees_the_same_data(database, secret):
    url, info = database
    first = CircleStore(url)
    first.put("ana", text("07-who", "kept"))
    first.put("ben", text("07-who", "also kept"))
    first.close()
    again = CircleStore(url)  # create_all on an existing table: no error, no data lost
    try:
        assert sorted(s.value for s in again.all_shares("07")) == ["also kept", "kept"]
        assert again.is_shared("ana", "07-who") and again.withdraw("ana", "07-who") is True
        assert [s.value for s in again.all_shares()] == ["also kept"]
    finally:
        again.close()
    other_secret = CircleStore(url, secret=b"another secret")  # the secret, not the database, identifies owners
    try:
        assert not other_secret.is_shared("ben", "07-who") and other_secret.withdraw("ben", "07-who") is False
    finally:
        other_secret.close()
    assert raw_rows(info, "select count(*) from circle_shares") == [(1,)]
