"""Run Servicetorg the production way and drive it as residents do: over real HTTP.

Shared by the benchmark (bench/harness.py) and the durability tests (tests/durability/):

- `prepare` sets up a database and a var folder with the project's own management commands;
- `Server` runs gunicorn with sync workers, DEBUG off, in its own process group, so a test can
  kill the whole server (master and workers) with SIGKILL, as a power cut or the OOM killer does;
- `Resident` logs in through TestID's real OpenID Connect flow and fills in, step by step, any
  starter service with answers generated from its definition, then submits it.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import signal
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
import yaml
from gunicorn import config as gunicorn_config
from lxml import html as lxml_html

from servicetorg.catalog.conditions import holds

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
STARTER_DIR = ROOT / "servicetorg" / "catalog" / "starter"
SECRET_KEY = "bench-only-secret-key-never-use-in-production-0123456789abcdef"

# Every client of a load test or a crash test comes from 127.0.0.1, so the per-address limits
# (settings.RATELIMITS, "ip") would count all of them as one person and refuse most requests;
# the per-person limits would stop a resident who submits again and again. Pass these in
# `env` to raise them for such runs; the limits themselves are tested elsewhere.
RAISED_RATELIMITS = {
    f"RATELIMIT_{kind}_{scope}": "1000000/h"
    for kind in ("LOGIN", "SUBMIT", "UPLOAD", "MESSAGE")
    for scope in ("IP", "PERSON")
}


def server_env(database_url: str, var_dir: Path, env: dict | None = None) -> dict[str, str]:
    """The environment of a production-like process: DEBUG off, demo login (TestID) on."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("RATELIMIT_", "PYTEST"))}
    base.pop("REDIS_URL", None)  # only when asked for: a shared Redis would mix runs' counts
    base.update(
        DJANGO_SETTINGS_MODULE="servicetorg.settings",
        DATABASE_URL=database_url,
        VAR_DIR=str(var_dir),
        DEBUG="false",
        DEMO="true",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        NOTIFY_ON_COMMIT="false",
        PYTHONUNBUFFERED="1",
    )
    base.update(env or {})
    return base


def manage(*args: str, database_url: str, var_dir: Path, env: dict | None = None) -> None:
    """Run one manage.py command in its own process; raise with its output when it fails."""
    done = subprocess.run(
        [str(PYTHON), str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=server_env(database_url, var_dir, env),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def prepare(database_url: str, var_dir: Path, env: dict | None = None) -> None:
    """Create the tables, the cache table, the static files and the demo (without history)."""
    var_dir.mkdir(parents=True, exist_ok=True)
    for command in (
        ("migrate", "--noinput", "-v", "0"),
        ("createcachetable",),
        ("collectstatic", "--noinput", "-v", "0"),
        ("load_demo", "--no-history"),
    ):
        manage(*command, database_url=database_url, var_dir=var_dir, env=env)


class Server:
    """gunicorn with sync workers on 127.0.0.1, as `make serve` runs it, in its own session.

    The new session makes the master and its workers one process group, so `kill()` can take
    them all down at once with SIGKILL and nothing of the old server survives a restart.
    """

    def __init__(
        self,
        database_url: str,
        var_dir: Path,
        port: int,
        workers: int = 3,
        env: dict | None = None,
        wsgi: str = "servicetorg.wsgi:application",
        max_requests: int = 0,
    ) -> None:
        self.database_url = database_url
        self.var_dir = Path(var_dir)
        self.port = port
        self.workers = workers
        self.wsgi = wsgi
        self.max_requests = max_requests
        self.url = f"http://127.0.0.1:{port}"
        self.env = server_env(database_url, self.var_dir, {"SITE_URL": self.url, **(env or {})})
        self.process: subprocess.Popen | None = None
        self.log_path = self.var_dir / f"gunicorn-{port}.log"

    def command(self) -> list[str]:
        command = [
            str(PYTHON.parent / "gunicorn"),
            self.wsgi,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
        ]
        if any(s.name == "control_socket_disable" for s in gunicorn_config.KNOWN_SETTINGS):
            # One control socket per user by default: servers run side by side would share it.
            command.append("--no-control-socket")
        if self.max_requests:
            command += ["--max-requests", str(self.max_requests)]
        return command

    def start(self, timeout: float = 60) -> Server:
        """Start gunicorn and wait until it answers HTTP."""
        self.var_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            try:
                requests.get(self.url + "/", timeout=2, allow_redirects=False)
                return self
            except requests.RequestException:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log()}")

    def log(self, tail: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except FileNotFoundError:
            return ""

    def stop(self, timeout: float = 30) -> None:
        """Shut down gracefully (SIGTERM): the workers finish the requests they hold."""
        if self.process is None or self.process.poll() is not None:
            self.process = None
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return
        self.process = None

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once, then reap the master."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        self._wait_for_group_gone()
        self.process = None

    def _wait_for_group_gone(self, timeout: float = 5) -> None:
        """Workers, orphaned by the master's death, are reaped by init: wait until they are."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while _group_members(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.02)

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        return [pid for pid, ppid in _processes() if ppid == self.process.pid]

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _processes() -> list[tuple[int, int]]:
    """(pid, parent pid) of every process, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        found.append((int(stat.parent.name), int(fields[1])))
    return found


def _group_members(pgid: int) -> list[int]:
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


# --- Residents ---


def resident_pids(count: int, offset: int = 0) -> list[str]:
    """Adults of the seeded demo population (synthetic numbers), one per client."""
    from servicetorg.identity.population import demo_population

    adults = [p.pid for p in demo_population().people if not p.is_child and not p.is_d_number]
    if offset + count > len(adults):
        raise ValueError(f"the demo population has only {len(adults)} adults")
    return adults[offset : offset + count]


def load_definition(service_slug: str) -> dict:
    """The starter service's definition, as the demo publishes it."""
    return yaml.safe_load((STARTER_DIR / f"{service_slug}.yaml").read_text(encoding="utf-8"))


@dataclass
class SentFile:
    name: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def expected(self) -> dict:
        return {"name": self.name, "sha256": self.sha256, "size": len(self.content)}


class LoginFailed(RuntimeError):
    pass


class StepRefused(RuntimeError):
    """The server answered a step or a submit with something other than the next page."""


class Resident:
    """One resident's browser: cookies, CSRF token and the pages a person goes through.

    Connection errors (a server being killed) come through as `requests` exceptions, so a
    caller can retry; every method here may be called again after one.
    """

    def __init__(self, base_url: str, pid: str, timeout: float = 30) -> None:
        self.base_url = base_url.rstrip("/")
        self.pid = pid
        self.timeout = timeout
        self.session = requests.Session()
        self.drafts: dict[str, tuple[str, str]] = {}  # draft id: (municipality, service slug)

    # HTTP helpers

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base_url + path

    def csrf_token(self) -> str:
        return self.session.cookies.get("csrftoken", "")

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        return self.session.get(self.url(path), timeout=self.timeout, **kwargs)

    def post(self, path: str, data: Any = None, **kwargs: Any) -> requests.Response:
        """POST with the CSRF token in the form, as Django's forms send it."""
        if not self.csrf_token():
            self.get("/")
        data = list(data.items()) if isinstance(data, dict) else list(data or [])
        data.append(("csrfmiddlewaretoken", self.csrf_token()))
        kwargs.setdefault("allow_redirects", False)
        headers = {"Referer": self.url(path), **kwargs.pop("headers", {})}
        return self.session.post(
            self.url(path), data=data, headers=headers, timeout=self.timeout, **kwargs
        )

    # Login

    def log_in(self, level: str = "high") -> None:
        """Log in through TestID, the demo's OpenID Connect provider, as a browser does.

        /logg-inn/ redirects to TestID's authorize page; choosing the person posts the form,
        TestID redirects back to the callback, which fetches the tokens from TestID's token
        endpoint (a second request to the server) and signs the resident in. With sync
        workers, log in at most half as many residents at once as the server has workers.
        """
        page = self.session.get(
            self.url(f"/logg-inn/?level={level}&next=/mine-saker/"), timeout=self.timeout
        )
        if urlsplit(page.url).path != "/testid/authorize" or page.status_code != 200:
            raise LoginFailed(f"no TestID page: {page.status_code} {page.url}")
        form = _form(
            page.text,
            lambda f: (
                (f.get("method") or "").lower() == "post"
                and (f.get("action") or "").rstrip("/").endswith("/testid/authorize")
            ),
        )
        data = [(k, v) for k, v in form if k not in ("acr", "pid", "csrfmiddlewaretoken")]
        data += [("acr", f"idporten-loa-{level}"), ("person", self.pid)]
        done = self.post("/testid/authorize", data, allow_redirects=True)
        if urlsplit(done.url).path != "/mine-saker/" or done.status_code != 200:
            raise LoginFailed(f"login of {self.pid} ended at {done.status_code} {done.url}")

    # The application

    def start(self, municipality: str, service_slug: str) -> str:
        """Start a draft of the service; return the draft's id."""
        response = self.post(f"/{municipality}/tjenester/{service_slug}/start/")
        match = re.search(r"/soknad/([0-9a-f-]{36})/steg/1/$", response.headers.get("Location", ""))
        if response.status_code != 302 or not match:
            raise StepRefused(f"start answered {response.status_code} {response.headers}")
        self.drafts[match.group(1)] = (municipality, service_slug)
        return match.group(1)

    def fill(self, draft_id: str, files: bool = True) -> dict[str, Any]:
        """Answer every step until the review page; return the answers the submission must hold.

        File fields appear in the result as lists of {name, sha256, size} of the files sent
        (PNG files are re-encoded by the server, so only a PDF's hash is the one sent). With
        `files=False` only required file fields get a file.
        """
        municipality, slug = self.drafts[draft_id]
        filler = Filler(load_definition(slug), self.pid, draft_id, files)
        number = 1
        for _ in range(4 * len(filler.steps) + 4):
            path = f"/{municipality}/soknad/{draft_id}/steg/{number}/"
            page = self.get(path)
            if page.status_code == 302:
                target = page.headers["Location"]
                if "/kvittering/" in target:
                    return filler.expected()
                number = _step_number(target)
                continue
            if page.status_code != 200:
                raise StepRefused(f"step {number} answered {page.status_code}")
            data, uploads = filler.step_data(number - 1, page.text)
            response = self.post(path, data, files=uploads or None)
            target = response.headers.get("Location", "")
            if response.status_code != 302:
                raise StepRefused(f"step {number} refused: {_errors(response.text)}")
            if target.endswith("/oppsummering/"):
                return filler.expected()
            number = _step_number(target)
        raise StepRefused("the steps never reached the review page")

    def submit(self, draft_id: str) -> str:
        """Submit from the review page; return the submission id from the receipt's address."""
        municipality, _slug = self.drafts[draft_id]
        response = self.post(f"/{municipality}/soknad/{draft_id}/oppsummering/")
        match = re.search(r"/kvittering/([0-9a-f-]{36})/$", response.headers.get("Location", ""))
        if response.status_code != 302 or not match:
            raise StepRefused(f"submit answered {response.status_code}: {_errors(response.text)}")
        return match.group(1)


def _step_number(location: str) -> int:
    match = re.search(r"/steg/(\d+)/$", location)
    if not match:
        raise StepRefused(f"unexpected redirect to {location}")
    return int(match.group(1))


def _errors(page: str) -> str:
    found = re.findall(r'<a href="#id_[^"]*">([^<]*)</a>', page)
    return "; ".join(found) or page[:300]


def _form(page: str, wanted) -> list[tuple[str, str]]:
    """The hidden and checked inputs of the first form on the page that `wanted` accepts."""
    document = lxml_html.fromstring(page)
    for form in document.forms:
        if wanted(form):
            return [
                (i.get("name"), i.get("value") or "")
                for i in form.inputs
                if i.tag == "input"
                and i.get("name")
                and (i.get("type") == "hidden" or i.get("checked") is not None)
            ]
    raise StepRefused("no such form on the page")


# --- Generated answers ---


@dataclass
class Filler:
    """Valid answers for every field of a definition, shaped as each field type expects."""

    definition: dict
    pid: str
    draft_id: str
    files: bool = True

    def __post_init__(self) -> None:
        self.steps = self.definition["steps"]
        self.answers: dict[str, Any] = {}
        self.sent_files: dict[str, list[SentFile]] = {}

    def step_data(self, index: int, page: str) -> tuple[list, list]:
        """The posted form of one step: a value for every field, shown or not yet shown.

        Every key goes in `_shown`: the server itself drops the answers of fields whose
        condition does not hold, as it does for a browser with scripts.
        """
        document = lxml_html.fromstring(page)
        fields = self.steps[index]["fields"]
        data: list[tuple[str, str]] = [("_action", "next")]
        data.append(("_shown", ",".join(f["key"] for f in fields)))
        uploads: list = []
        for field in fields:
            if field["type"] == "file":
                uploads += self.file_uploads(field, document)
                continue
            if field["type"] == "group":
                data += self.group_data(field)
                continue
            posted, answer = self.value(field, field["key"], document)
            data += posted
            if answer is not None:
                self.answers[field["key"]] = answer
        return data, uploads

    def group_data(self, field: dict) -> list[tuple[str, str]]:
        count = max(field.get("min_items", 0), 1) if field.get("max_items", 10) else 0
        data = [(f"{field['key']}-count", str(count))]
        rows = []
        for i in range(count):
            row = {}
            for sub in field["fields"]:
                posted, answer = self.value(sub, f"{field['key']}-{i}-{sub['key']}", None)
                data += posted
                if answer is not None and holds(sub.get("show_if"), {**self.answers, **row}):
                    row[sub["key"]] = answer
            rows.append(row)
        if rows:
            self.answers[field["key"]] = rows
        return data

    def value(self, field: dict, name: str, document) -> tuple[list[tuple[str, str]], Any]:
        """What to post for a field (name, value pairs), and the answer the server keeps."""
        kind = field["type"]
        if kind == "info":
            return [], None
        if kind in ("choice", "multichoice"):
            chosen = self.first_option(field, name, document)
            answer = self.option_value(field, chosen)
            return [(name, chosen)], [answer] if kind == "multichoice" else answer
        if kind in ("address", "property"):
            # One input per part, named <field>-<part>.
            answer = GENERATORS[kind](self, field)
            return [(f"{name}-{k}", "" if v is None else str(v)) for k, v in answer.items()], answer
        if kind not in GENERATORS:
            raise ValueError(f"No generated answer for field type {kind!r}")
        posted, answer = GENERATORS[kind](self, field)
        return [(name, posted)], answer

    def first_option(self, field: dict, name: str, document) -> str:
        """The first option the page offers (registers can add some, like a family's children)."""
        if document is not None:
            values = [
                v
                for v in document.xpath(
                    f'//input[@name="{name}"]/@value | //select[@name="{name}"]/option/@value'
                )
                if v
            ]
            if values:
                return values[0]
        return str(field["options"][0]["value"])

    def option_value(self, field: dict, chosen: str) -> Any:
        for option in field.get("options", []):
            if str(option["value"]) == chosen:
                return option["value"]
        return chosen

    def file_uploads(self, field: dict, document) -> list:
        """Send a file unless a multiple-file field already holds one (a retried step)."""
        key = field["key"]
        if not (self.files or field.get("required")):
            return []
        accept = field.get("accept", ["pdf", "jpeg", "png"])
        sent = SentFile(f"{key}.pdf", small_pdf(f"{self.draft_id} {key}"))
        if "pdf" not in accept:
            sent = SentFile(f"{key}.png", small_png(f"{self.draft_id} {key}"))
        self.sent_files[key] = [sent]
        attached = document.xpath(f'//button[starts-with(@value, "remove-file:{key}:")]')
        if attached and field.get("multiple"):
            return []
        mime = "application/pdf" if sent.name.endswith(".pdf") else "image/png"
        return [(key, (sent.name, sent.content, mime))]

    def expected(self) -> dict[str, Any]:
        """The answers of the fields shown, as the submission keeps them (engine.prune)."""
        from servicetorg.catalog.definitions import Definition
        from servicetorg.catalog.engine import prune

        answers = {**self.answers}
        for key, sent in self.sent_files.items():
            answers[key] = [s.expected() for s in sent]
        return prune(Definition(self.definition), answers)


def _text(filler: Filler, field: dict) -> tuple[str, str]:
    value = PATTERN_SAMPLES.get(field.get("pattern", ""), f"Svar {field['key']}")
    value = value.ljust(field.get("min_length", 0), "x")[: field.get("max_length", 200)]
    return value, value


# Values that fit the patterns the starter services use (bank account, time of day).
PATTERN_SAMPLES = {
    "^[0-9]{4}[ .]?[0-9]{2}[ .]?[0-9]{5}$": "1503.12.34567",
    "^([01][0-9]|2[0-3])[:.][0-5][0-9]$": "18:00",
}


def _number(filler: Filler, field: dict) -> tuple[str, Any]:
    low = field.get("min", 1)
    value = low if "max" not in field else min(max(low, 1), field["max"])
    if field["type"] == "decimal":
        return str(value), str(value)
    return str(int(value)), int(value)


def _date(filler: Filler, field: dict) -> tuple[str, str]:
    def bound(value: Any) -> datetime.date:
        return (
            datetime.date.today() if value == "today" else datetime.date.fromisoformat(str(value))
        )

    low = bound(field["min"]) if "min" in field else None
    high = bound(field["max"]) if "max" in field else None
    if low:
        day = low + datetime.timedelta(days=30)
    elif high:
        day = high - datetime.timedelta(days=365 * 30)
    else:
        day = datetime.date.today() + datetime.timedelta(days=30)
    if high and day > high:
        day = high
    return day.isoformat(), day.isoformat()


def _address(filler: Filler, field: dict) -> dict:
    return {"street": "Storgata 1", "postal_code": "6413", "place": "Molde"}


def _property(filler: Filler, field: dict) -> dict:
    return {"gnr": 12, "bnr": 34, "fnr": None}


GENERATORS = {
    "text": _text,
    "textarea": lambda f, field: (f"Tekst for {field['key']}.",) * 2,
    "integer": _number,
    "amount": _number,
    "decimal": _number,
    "date": _date,
    "email": lambda f, field: (f"person{f.pid[-4:]}@example.no",) * 2,
    "phone": lambda f, field: ("91234567", "91234567"),
    "fnr": lambda f, field: (f.pid, f.pid),
    "orgnr": lambda f, field: ("974760673", "974760673"),
    "yesno": lambda f, field: ("yes", True),
    "consent": lambda f, field: ("yes", True),
    "address": _address,
    "property": _property,
}


def small_pdf(text: str) -> bytes:
    """A valid one-page PDF that says `text`; different text gives a different file."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def small_png(text: str) -> bytes:
    """A valid 8x8 PNG whose colour depends on `text`."""
    colour = hashlib.sha256(text.encode()).digest()[:3]
    raw = b"".join(b"\x00" + colour * 8 for _ in range(8))

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return len(body).to_bytes(4, "big") + kind + body + crc.to_bytes(4, "big")

    header = (8).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
