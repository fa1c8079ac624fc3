"""A batch retried after its connection was lost during COMMIT neither loses nor doubles a
transfer (PostgreSQL). Users rely on this: when the caller cannot know whether a batch
committed, sending the same batch again (same client ids) leaves every transfer stored, counted
in the balances and announced in the outbox exactly once, whether the server died before the
commit (the retry applies the batch) or committed and only the answer was lost (the retry
replays what was stored)."""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from tests.conftest import NOW, SECRET

import commgov
from commgov.kernel.tables import outbox_events
from commgov.ledger.tables import ledger_transfers

pytestmark = pytest.mark.postgres

A = commgov.Actor.system("lost-connection")
RESIDENTS, MOVES, START = 10, 50, 1000
TRIES = 5
WAIT = 8.0  # seconds any helper thread waits for what it expects before it gives up
COMMIT_QUERY = b"Q\x00\x00\x00\x0bCOMMIT\x00"  # the simple-query message psycopg commits with
COMMIT_DONE = b"C\x00\x00\x00\x0bCOMMIT\x00"  # the server's CommandComplete for it
READY = b"Z\x00\x00\x00\x05"  # ReadyForQuery: the end of the server's answer


# -- the store and the batch ------------------------------------------------------------------
def open_store(url: str) -> commgov.Commgov:
    return commgov.open(url, secret_key=SECRET, discover_plugins=False, clock=lambda: NOW)


def funded(cg: commgov.Commgov) -> list[str]:
    """Open issuance and ``RESIDENTS`` resident accounts holding ``START`` each; their codes."""
    cg.ledger.open_account(A, ledger="points", code="system:issuance", kind="system")
    codes = [f"r{i}" for i in range(RESIDENTS)]
    for code in codes:
        cg.ledger.open_account(A, ledger="points", code=code, kind="resident")
    seeds = [move(f"seed-{c}", "system:issuance", c, START) for c in codes]
    cg.ledger.submit(A, seeds)
    return codes


def move(client_id: str, debit: str, credit: str, amount: int) -> dict[str, Any]:
    fields = {"ledger": "points", "debit": debit, "credit": credit, "reason": "move"}
    return {"client_id": client_id, "amount": amount, **fields}


def batch_of_moves(tag: str, codes: Sequence[str]) -> list[dict[str, Any]]:
    """``MOVES`` transfers between the residents; none can overdraw (at most 20 each)."""
    rng = random.Random(tag)
    moves = []
    for i in range(MOVES):
        debit, credit = rng.sample(list(codes), 2)
        moves.append(move(f"{tag}-{i}", debit, credit, rng.randint(1, 20)))
    return moves


def submit_until_answered(
    cg: commgov.Commgov, batch: list[dict[str, Any]]
) -> tuple[list[commgov.TransferView], list[str]]:
    """Submit ``batch`` as a caller would after a lost connection: the same batch again until
    an answer comes (at most ``TRIES`` calls). The answer and the failures met on the way."""
    failures: list[str] = []
    for _ in range(TRIES):
        try:
            return cg.ledger.submit(A, batch), failures
        except (DBAPIError, commgov.CommgovError) as exc:
            failures.append(repr(exc))
    pytest.fail(f"no answer after {TRIES} tries: {failures}")


# -- what must hold after the retry -----------------------------------------------------------
def assert_stored_once(
    cg: commgov.Commgov, codes: Sequence[str], batch: list[dict[str, Any]]
) -> None:
    """Every client id of ``batch`` stored once and announced once, and the balances and the
    books count each of its transfers once."""
    ids = [m["client_id"] for m in batch]
    with cg.context.engine.connect() as conn:
        stored = conn.execute(
            select(ledger_transfers.c.client_id).where(ledger_transfers.c.client_id.in_(ids))
        ).scalars()
        events = conn.execute(
            select(outbox_events.c.payload).where(outbox_events.c.kind == "transfer.posted")
        ).scalars()
        announced = Counter(payload["client_id"] for payload in events)
    assert Counter(stored) == Counter(ids)  # each once: none lost, none doubled
    assert {cid: announced[cid] for cid in ids} == dict.fromkeys(ids, 1)
    expected = dict.fromkeys(codes, START)
    for m in batch:
        expected[m["debit"]] -= m["amount"]
        expected[m["credit"]] += m["amount"]
    assert {c: cg.ledger.account(A, "points", c).balance for c in codes} == expected
    total = RESIDENTS * START + sum(m["amount"] for m in batch)
    books = cg.ledger.books(A, "points")
    assert (books["debits_posted"], books["credits_posted"]) == (total, total)


def assert_answer_is_the_batch(views: list[commgov.TransferView], batch: list[Any]) -> None:
    """The answer names each transfer of the batch once, in order, with what was asked."""
    assert [(v.client_id, v.amount) for v in views] == [
        (m["client_id"], m["amount"]) for m in batch
    ]
    assert len({v.id for v in views}) == len(batch)


def assert_still_takes_transfers(cg: commgov.Commgov, codes: Sequence[str]) -> None:
    before = cg.ledger.account(A, "points", codes[1]).balance
    later = cg.ledger.transfer(A, **move("afterwards", codes[0], codes[1], 7))
    assert not later.replayed
    assert cg.ledger.account(A, "points", codes[1]).balance == before + 7


# -- case 1: the server dies inside COMMIT, before the commit record ---------------------------
def install_commit_gate(url: str, key: int) -> None:
    """A deferred constraint trigger on ledger_transfers: at COMMIT, the transaction sleeps in
    ``pg_sleep`` until it gets advisory lock ``key`` (held by the killer, so no commit can
    happen before it acted), once per transaction (the lock is then its own)."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "CREATE FUNCTION test_commit_gate() RETURNS trigger LANGUAGE plpgsql AS $$"
                f" BEGIN WHILE NOT pg_try_advisory_xact_lock({key}) LOOP"
                " PERFORM pg_sleep(0.01); END LOOP; RETURN NULL; END $$"
            )
            conn.exec_driver_sql(
                "CREATE CONSTRAINT TRIGGER test_commit_gate AFTER INSERT ON ledger_transfers"
                " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_commit_gate()"
            )
    finally:
        engine.dispose()


def drop_commit_gate(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TRIGGER test_commit_gate ON ledger_transfers")
            conn.exec_driver_sql("DROP FUNCTION test_commit_gate()")
    finally:
        engine.dispose()


FIND_COMMIT = text(
    "SELECT pid FROM pg_stat_activity WHERE application_name = :name AND state = 'active'"
    " AND query = 'COMMIT' AND wait_event = 'PgSleep' ORDER BY pid LIMIT 1"
)


class CommitKiller:
    """Another session: holds advisory lock ``key``, waits until a backend of the application
    ``name`` sleeps inside COMMIT (in the gate), terminates it, then lets the lock go."""

    def __init__(self, url: str, name: str, key: int) -> None:
        self.killed: list[int] = []
        self.errors: list[str] = []
        self.holding = threading.Event()
        self._engine = create_engine(url)
        self._name, self._key = name, key
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()
        assert self.holding.wait(WAIT), f"the killer did not take its lock: {self.errors}"

    def join(self) -> None:
        self._thread.join(WAIT + 2)
        self._engine.dispose()

    def _run(self) -> None:
        try:
            with self._engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": self._key})
                conn.commit()
                self.holding.set()
                try:
                    self._kill_one(conn)
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
                    conn.commit()
        except Exception as exc:  # reported by the test, not lost in the thread
            self.errors.append(repr(exc))
            self.holding.set()

    def _kill_one(self, conn: Any) -> None:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            pid = conn.execute(FIND_COMMIT, {"name": self._name}).scalar()
            conn.rollback()  # pg_stat_activity is read once per transaction
            if pid is not None:
                ended = conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
                if ended.scalar_one():
                    self.killed.append(int(pid))
                conn.commit()
                return
            time.sleep(0.01)


def test_a_batch_killed_inside_commit_is_applied_once_by_the_retry(pg_url: str) -> None:
    name, key = "commgov-lost-commit", random.getrandbits(62)
    named = make_url(pg_url).update_query_dict({"application_name": name})
    with open_store(named.render_as_string(hide_password=False)) as cg:
        codes = funded(cg)
        batch = batch_of_moves("killed", codes)
        install_commit_gate(pg_url, key)
        killer = CommitKiller(pg_url, name, key)
        killer.start()
        try:
            views, failures = submit_until_answered(cg, batch)
        finally:
            killer.join()
        assert killer.errors == []
        assert len(killer.killed) == 1, f"no backend was killed inside COMMIT ({failures})"
        assert_answer_is_the_batch(views, batch)
        # the killed COMMIT kept nothing, so the answer is the retry that applied the batch
        assert not any(v.replayed for v in views)
        assert_stored_once(cg, codes, batch)
        drop_commit_gate(pg_url)
        assert_still_takes_transfers(cg, codes)


# -- case 2: the server commits, the answer is lost ------------------------------------------
class Link:
    """One proxied connection: client <-> server, pumped by two daemon threads."""

    def __init__(self, proxy: AnswerEatingProxy, client: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.server = socket.create_connection(proxy.upstream, timeout=WAIT)
        for end in (self.client, self.server):
            end.settimeout(0.2)
        self.commit_sent = threading.Event()
        self.closed = threading.Event()

    def start(self) -> list[threading.Thread]:
        pumps = [
            threading.Thread(target=self._pump, args=(self.client, self.server, True)),
            threading.Thread(target=self._pump, args=(self.server, self.client, False)),
        ]
        for pump in pumps:
            pump.daemon = True
            pump.start()
        return pumps

    def _pump(self, source: socket.socket, sink: socket.socket, upward: bool) -> None:
        seen = b""
        try:
            while not self.closed.is_set():
                try:
                    data = source.recv(65536)
                except TimeoutError:
                    continue
                if not data:
                    break
                seen = seen[-64:] + data  # all of ``data`` and the end of what came before
                if upward:
                    self.proxy.watch_client(self, seen)
                elif self.commit_sent.is_set():
                    self._eat(data)
                    return
                sink.sendall(data)
        except OSError:
            pass
        finally:
            self.close()

    def _eat(self, data: bytes) -> None:
        """Keep the server's answer to the COMMIT (until ReadyForQuery) from the client, then
        cut both sides."""
        answer = data
        deadline = time.monotonic() + WAIT
        while READY not in answer and time.monotonic() < deadline:
            try:
                more = self.server.recv(65536)
            except TimeoutError:
                continue
            if not more:
                break
            answer += more
        self.proxy.eaten.append(answer)

    def close(self) -> None:
        self.closed.set()
        for end in (self.client, self.server):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()


class AnswerEatingProxy:
    """A TCP proxy to PostgreSQL that, once armed with ``marker``, lets through the COMMIT of
    the first connection that sent ``marker`` since, swallows the server's answer and closes
    that connection: the server committed, the client saw its connection lost."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.eaten: list[bytes] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._marker: bytes | None = None
        self._marked: set[int] = set()
        self._stop = threading.Event()
        self._links: list[Link] = []
        self._threads: list[threading.Thread] = [threading.Thread(target=self._accept)]
        self._threads[0].daemon = True

    def __enter__(self) -> AnswerEatingProxy:
        self._threads[0].start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._listener.close()
        with self._lock:
            links, threads = list(self._links), list(self._threads)
        for link in links:
            link.close()
        for thread in threads:
            thread.join(2)

    def arm(self, marker: bytes) -> None:
        with self._lock:
            self._marker, self._marked = marker, set()

    def watch_client(self, link: Link, seen: bytes) -> None:
        """Called with the latest bytes a client sent, before they are forwarded."""
        with self._lock:
            if self._marker is None:
                return
            if self._marker in seen:
                self._marked.add(id(link))
            if id(link) in self._marked and seen.endswith(COMMIT_QUERY):
                self._marker = None  # one shot: every later COMMIT passes
                link.commit_sent.set()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            link = Link(self, client)
            with self._lock:
                self._links.append(link)
                self._threads.extend(link.start())


def through(proxy: AnswerEatingProxy, url: str) -> str:
    """``url`` with the proxy's host and port (plain TCP, so the proxy can read the stream)."""
    parsed = make_url(url).set(host="127.0.0.1", port=proxy.port)
    plain = parsed.update_query_dict({"sslmode": "disable", "gssencmode": "disable"})
    return plain.render_as_string(hide_password=False)


def test_a_batch_whose_commit_answer_is_lost_is_replayed_by_the_retry(pg_url: str) -> None:
    upstream = make_url(pg_url)
    with (
        AnswerEatingProxy((upstream.host or "127.0.0.1", upstream.port or 5432)) as proxy,
        open_store(through(proxy, pg_url)) as cg,
    ):
        codes = funded(cg)
        batch = batch_of_moves("answer-lost", codes)
        proxy.arm(batch[0]["client_id"].encode())
        views, _failures = submit_until_answered(cg, batch)
        assert len(proxy.eaten) == 1
        assert COMMIT_DONE in proxy.eaten[0]  # the server did commit; the client never heard
        assert_answer_is_the_batch(views, batch)
        # the first attempt's commit stood: the retry found every transfer stored
        assert all(v.replayed for v in views)
        assert_stored_once(cg, codes, batch)
        assert_still_takes_transfers(cg, codes)
