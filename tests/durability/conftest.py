"""A production-like server (gunicorn, DEBUG off) on the test run's own database.

The test database is filled and flushed by pytest-django (`transactional_db`: committed, so
the server's processes see it); the server gets its own var folder for files and logs, and
the static files collected for the test run.
"""

import io
import socket
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from bench.production import RAISED_RATELIMITS, Server


def database_url() -> str:
    """The test database as a URL for the server's processes (SQLite: a file)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server_var_dir(tmp_path: Path) -> Path:
    """The server's own files and logs, and the test run's collected static files."""
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if not manifest.exists():
        pytest.fail(f"{manifest} is missing: run `make static` first")
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    (var_dir / "static").symlink_to(Path(settings.STATIC_ROOT).resolve())
    return var_dir


@pytest.fixture
def demo(transactional_db) -> None:
    """The demo municipalities and their starter services, committed."""
    call_command("load_demo", history=False, stdout=io.StringIO())


@pytest.fixture
def make_server(demo, server_var_dir):
    """Build servers on the test database; every one still running is killed at the end."""
    servers: list[Server] = []

    def make(workers: int = 3) -> Server:
        server = Server(
            database_url(), server_var_dir, free_port(), workers=workers, env=RAISED_RATELIMITS
        )
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.kill()
    # The server's connections are gone; the flush after the test must not wait for them.
    connection.close()
