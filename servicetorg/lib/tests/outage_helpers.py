"""Real database outages for tests: a TCP proxy that can refuse and cut, and a held SQLite lock.

PostgreSQL: the application connects through `TcpProxy`; `down()` closes the listening socket
(new connections are refused) and cuts every open connection, `up()` listens again on the same
port. SQLite: `SqliteWriteLock` holds `BEGIN EXCLUSIVE` in a second connection, so every
writer waits out its busy timeout and fails with "database is locked" (readers go on, as
they do in WAL mode).
"""

import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.production import RAISED_RATELIMITS, Server

UPSTREAM = ("127.0.0.1", 5432)


class TcpProxy:
    """Forward 127.0.0.1:<port> to the database server until told to go down."""

    def __init__(self, upstream: tuple[str, int] = UPSTREAM) -> None:
        self.upstream = upstream
        self.port = 0
        self.listener: socket.socket | None = None
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self.lock = threading.Lock()

    def up(self) -> None:
        if self.listener is not None:
            return
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        """Refuse new connections and cut the open ones, as a database that went away."""
        if self.listener is not None:
            # shutdown() wakes the thread waiting in accept(); close() alone would not.
            _shut(self.listener)
            self.listener = None
        with self.lock:
            pairs, self.pairs = self.pairs, []
        for pair in pairs:
            for sock in pair:
                _shut(sock)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:  # closed by down()
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                _shut(client)
                continue
            server.settimeout(None)
            with self.lock:
                self.pairs.append((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=_pump, args=(source, target), daemon=True).start()


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    _shut(target)
    _shut(source)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


class SqliteWriteLock:
    """Hold the database file's write lock from another connection."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.holder: sqlite3.Connection | None = None

    def down(self) -> None:
        self.holder = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        self.holder.execute("BEGIN EXCLUSIVE")

    def up(self) -> None:
        if self.holder is not None:
            self.holder.execute("ROLLBACK")
            self.holder.close()
            self.holder = None


@contextmanager
def server_behind_fault(var_dir: Path) -> Iterator[tuple[Server, TcpProxy | SqliteWriteLock]]:
    """gunicorn on the test database (committed: use transactional_db), reached through a fault.

    Two workers: logging in, the server asks its own TestID for the tokens. SQLite writers
    give up after 0.3 s instead of 10 s.
    """
    from django.conf import settings
    from django.db import connection

    (var_dir / "static").symlink_to(Path(settings.STATIC_ROOT).resolve())
    db = connection.settings_dict
    fault: TcpProxy | SqliteWriteLock
    if db["ENGINE"] == "django.db.backends.postgresql":
        fault = TcpProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
        fault.up()
        url = f"postgres://{db['USER'] or 'postgres'}@127.0.0.1:{fault.port}/{db['NAME']}"
    else:
        fault = SqliteWriteLock(db["NAME"])
        url = f"sqlite:///{Path(db['NAME']).resolve()}"
    env = {**RAISED_RATELIMITS, "SQLITE_BUSY_TIMEOUT_MS": "300"}
    server = Server(url, var_dir, free_port(), workers=2, env=env)
    try:
        yield server.start(), fault
    finally:
        server.kill()
        fault.up()
        if isinstance(fault, TcpProxy):
            fault.down()
        connection.close()  # the flush after the test must not wait for the server's


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
