"""Load Servicetorg the production way, beside a bare Django project, and record the ratios.

    .venv/bin/python bench/harness.py --databases sqlite,postgresql   (what `make bench` runs)

For each database it creates a fresh one (SQLite: a file under --var-dir; PostgreSQL: a database
on 127.0.0.1 whose name contains "loadbench"), prepares the product as `bench/production.py`
does (migrations, static files, the demo without history), adds Molde's two years of demo
history (about 12,000 cases, a few hundred open), imports and publishes a bench service with 15
fields on one step through the service builder's own import, and starts drafts through the
product's actions: a resident with 20 submitted cases, and another with enough complete drafts
that every final submit takes its own. It then starts the product and the floor (bench/floor/, a
bare Django project) with the same gunicorn command line, logs in a resident through TestID's
OpenID Connect flow and a caseworker with a password, and drives each scenario with wrk for
--duration seconds (scripts in bench/wrk/). Last, it sends 10,000 mixed requests twice and reads
each worker's resident memory after each run.

It prints one table and writes it into docs/benchmarks.md between the markers
`<!-- bench:begin -->` and `<!-- bench:end -->`. Every load aims at 127.0.0.1, is bounded in
time, and stops by itself; the servers are stopped on exit, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.metadata
import json
import math
import os
import platform
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
FLOOR = BENCH / "floor"
WRK_SCRIPT = BENCH / "wrk" / "scenario.lua"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
MUNICIPALITY = "molde"
SERVICE_SLUG = "lastprove-skjema"
MINE_CASES = 20
MIX = ("catalog", "service", "step_get", "step_post", "submit", "mine", "inbox")
# The memory runs' mix, in turn: residents' pages more often than the caseworker's inbox.
MEMORY_MIX = ("catalog", "service", "step_get", "step_post", "mine") * 2 + ("submit", "inbox")

sys.path[:0] = [str(ROOT), str(BENCH)]

from cases_scale import check_database_url, create_database  # noqa: E402


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    floor: str | None = None  # the floor scenario it is divided by
    minimum: float | None = None  # target: at least this ratio
    p99_ms: float | None = None  # target: p99 under this


SCENARIOS = [
    Scenario("catalog", "Catalog page (`/molde/`)", "floor_short", 0.5),
    Scenario("service", "Service page", "floor_short", 0.5),
    Scenario("step_get", "Form step, 15 fields (GET)", "floor_form", 1.0),
    Scenario("step_post", "Step submitted (POST, draft saved)", "floor_short"),
    Scenario("mine", '"Mine saker", resident with 20 cases', "floor_short"),
    Scenario("inbox", "Inbox of a caseworker", "floor_short"),
    Scenario("submit", "Final submit (case created)", "floor_insert", 0.5, 150.0),
    Scenario("floor_short", "Bare Django: short page"),
    Scenario("floor_form", "Bare Django: 15-field form page"),
    Scenario("floor_insert", "Bare Django: validated insert (POST)"),
]
BY_KEY = {s.key: s for s in SCENARIOS}
REPORT_ORDER = [
    "catalog",
    "service",
    "step_get",
    "step_post",
    "submit",
    "mine",
    "inbox",
    "floor_short",
    "floor_form",
    "floor_insert",
]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per scenario (10)")
    parser.add_argument("--connections", type=int, default=32, help="open connections (32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="sqlite, postgresql or both (both)"
    )
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/servicetorg_loadbench",
        help="the product's PostgreSQL database (the floor's gets _floor); name with 'loadbench'",
    )
    parser.add_argument(
        "--var-dir",
        type=Path,
        default=Path("/tmp/servicetorg-loadbench"),
        help="a folder in /tmp for the SQLite files, logs and wrk's scripts",
    )
    parser.add_argument("--port", type=int, default=8461, help="product port; floor +1 (8461)")
    parser.add_argument("--max-minutes", type=float, default=60, help="stop after this (60)")
    parser.add_argument(
        "--only", default="", help="comma-separated scenario keys: " + ", ".join(REPORT_ORDER)
    )
    parser.add_argument(
        "--memory-requests", type=int, default=10_000, help="requests per memory run (10000)"
    )
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/9",
        help="REDIS_URL of the product (rate-limit counters and cache, as a production "
        "installation with several workers has them; emptied first); '' for the database cache",
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the memory runs")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/benchmarks.md")
    args = parser.parse_args(argv)
    args.databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    if not set(args.databases) <= {"sqlite", "postgresql"} or not args.databases:
        parser.error("--databases takes sqlite, postgresql or both")
    if not 1 <= args.duration <= 600:
        parser.error("--duration must be between 1 and 600 seconds")
    if not 1 <= args.connections <= 512 or args.threads > args.connections:
        parser.error("--connections must be between 1 and 512, and at least --threads")
    args.var_dir = args.var_dir.resolve()
    if args.var_dir.parent != Path("/tmp"):
        parser.error("--var-dir must be a folder directly in /tmp (it is emptied for each run)")
    args.only = [k.strip() for k in args.only.split(",") if k.strip()]
    unknown = set(args.only) - set(BY_KEY)
    if unknown:
        parser.error(f"unknown scenarios {sorted(unknown)}; known: {', '.join(REPORT_ORDER)}")
    return args


def chosen_scenarios(only: list[str]) -> list[str]:
    """The scenarios to run, with the floors their ratios need, floors first."""
    keys = set(only or BY_KEY)
    keys |= {BY_KEY[k].floor for k in keys if BY_KEY[k].floor}
    floors = [k for k in REPORT_ORDER if k.startswith("floor_") and k in keys]
    # The inbox before the final submits: those add open cases to Molde's inbox.
    product = [k for k in MIX if k in keys and k != "submit"]
    return floors + product + (["submit"] if "submit" in keys else [])


# --- The bench service and its answers (used inside the product's Django, see `fill`) ---


def text(nb: str, nn: str, en: str) -> dict:
    return {"nb": nb, "nn": nn, "en": en}


def options(*values: tuple[str, str, str, str]) -> list[dict]:
    return [{"value": v, "label": text(nb, nn, en)} for v, nb, nn, en in values]


def bench_fields() -> list[dict]:
    """15 fields, the same mix as the floor's form (bench/floor/entries/forms.py)."""
    return [
        {"key": "name", "type": "text", "label": text("Navn", "Namn", "Name"), "required": True,
         "help": text("Fullt navn.", "Fullt namn.", "Your full name."), "max_length": 100},
        {"key": "email", "type": "email", "label": text("E-post", "E-post", "Email"),
         "required": True},
        {"key": "phone", "type": "phone", "label": text("Mobil", "Mobil", "Mobile")},
        {"key": "birth_date", "type": "date", "required": True, "max": "today",
         "label": text("Fødselsdato", "Fødselsdato", "Date of birth")},
        {"key": "age", "type": "integer", "label": text("Alder", "Alder", "Age"),
         "required": True, "min": 0, "max": 130},
        {"key": "street", "type": "text", "label": text("Gateadresse", "Gateadresse", "Street"),
         "required": True, "max_length": 200},
        {"key": "postcode", "type": "text", "label": text("Postnummer", "Postnummer", "Postcode"),
         "required": True, "max_length": 4, "pattern": "^[0-9]{4}$"},
        {"key": "city", "type": "text", "label": text("Poststed", "Poststad", "City"),
         "required": True, "max_length": 100},
        {"key": "household", "type": "integer", "required": True, "min": 1, "max": 20,
         "label": text("Personer i husstanden", "Personar i hushaldet", "People in the household")},
        {"key": "contact_by", "type": "choice", "required": True,
         "label": text("Kontakt meg på", "Kontakt meg på", "Contact me by"),
         "options": options(("email", "E-post", "E-post", "E-mail"),
                            ("phone", "Telefon", "Telefon", "Phone"),
                            ("letter", "Brev", "Brev", "Letter"))},
        {"key": "municipality", "type": "choice", "widget": "select", "required": True,
         "label": text("Kommune", "Kommune", "Municipality"),
         "options": options(*[(v, n, n, n) for v, n in (
             ("molde", "Molde"), ("aukra", "Aukra"), ("hustadvika", "Hustadvika"),
             ("vestnes", "Vestnes"), ("rauma", "Rauma"), ("gjemnes", "Gjemnes"),
             ("sunndal", "Sunndal"), ("kristiansund", "Kristiansund"))])},
        {"key": "start_date", "type": "date", "required": True, "min": "today",
         "label": text("Ønsket oppstart", "Ønskt oppstart", "Preferred start")},
        {"key": "newsletter", "type": "yesno",
         "label": text("Vil du ha nyhetsbrev?", "Vil du ha nyheitsbrev?", "Newsletter?")},
        {"key": "description", "type": "textarea", "required": True, "max_length": 4000,
         "label": text("Beskrivelse", "Skildring", "Description")},
        {"key": "confirm", "type": "consent", "required": True,
         "label": text("Jeg bekrefter at opplysningene er riktige",
                       "Eg stadfestar at opplysningane er rette",
                       "I confirm that the information is correct")},
    ]  # fmt: skip


def bench_document() -> dict:
    line = text("Lastprøve", "Lastprøve", "Load test")
    return {
        "slug": SERVICE_SLUG,
        "category": "family",
        "title": text("Lastprøve: skjema med 15 felt", "Lastprøve: skjema med 15 felt",
                      "Load test: a form with 15 fields"),
        "summary": line,
        "who_can_apply": line,
        "what_you_need": line,
        "what_happens_next": line,
        "keywords": {"nb": ["lastprøve"], "nn": ["lastprøve"], "en": ["load test"]},
        "handling_days": 14,
        "department": "Servicetorget",
        "retention_years": 3,
        "steps": [{"key": "form", "title": text("Skjema", "Skjema", "Form"),
                   "fields": bench_fields()}],
    }  # fmt: skip


def step_post(today: datetime.date) -> dict[str, str]:
    """What a browser posts for the bench service's one step: every field answered."""
    return {
        "_action": "next",
        "_shown": ",".join(f["key"] for f in bench_fields()),
        "name": "Kari Nordmann",
        "email": "kari.nordmann@example.no",
        "phone": "91234567",
        "birth_date": "1985-04-12",
        "age": "41",
        "street": "Storgata 1",
        "postcode": "6413",
        "city": "Molde",
        "household": "3",
        "contact_by": "email",
        "municipality": "molde",
        "start_date": (today + datetime.timedelta(days=30)).isoformat(),
        "newsletter": "yes",
        "description": "Søknad sendt av lastprøven.",
        "confirm": "yes",
    }


def floor_post() -> dict[str, str]:
    """The same answers for the floor's form (bench/floor/entries/forms.py)."""
    data = step_post(datetime.date.today())
    data = {k: v for k, v in data.items() if not k.startswith("_")}
    return {**data, "newsletter": "on", "confirm": "on"}


# --- Filling the product's database (a child process with the product's Django) ---


def fill(args: argparse.Namespace) -> dict:
    """History, the bench service, 20 cases of one resident, the other resident's drafts."""
    import django

    django.setup()
    import production
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.http import QueryDict
    from django.utils import timezone

    from servicetorg.cases.constants import CaseStatus
    from servicetorg.cases.models import Case
    from servicetorg.catalog.builder import actions as builder
    from servicetorg.catalog.builder.transfer import export_document, import_document
    from servicetorg.catalog.engine import read_step
    from servicetorg.identity.population import demo_population
    from servicetorg.identity.residents import Resident
    from servicetorg.insights.demo_history import load_demo_history
    from servicetorg.municipalities.models import Municipality
    from servicetorg.submissions.actions import save_step, start_draft, submit_application

    place = Municipality.objects.get(slug=MUNICIPALITY)
    started = time.monotonic()
    load_demo_history(place)
    history_s = time.monotonic() - started
    admin = get_user_model().objects.get(username=f"admin.{MUNICIPALITY}")
    # The service builder's import: text in, checked, a new unpublished service, then publish.
    document = import_document(export_document(bench_document(), "yaml"))
    service = builder.import_service(place, document, actor=admin)
    builder.publish(service, builder.draft_for(service).revision, actor=admin)
    service.refresh_from_db()
    definition = service.published_version.definition
    answers = read_step(definition, 0, {}, QueryDict(urlencode(step_post(timezone.localdate()))))
    if not answers.valid:
        raise SystemExit(f"the bench answers are refused: {answers.errors}")
    people = {p.pid: p for p in demo_population().people}
    mine_pid, submitter_pid = production.resident_pids(2, offset=4)
    mine = Resident(pid=mine_pid, name=people[mine_pid].name)
    submitter = Resident(pid=submitter_pid, name=people[submitter_pid].name)

    def complete_drafts(resident: Resident, count: int) -> list:
        drafts = []
        for _ in range(count):
            draft = start_draft(service, actor=resident)
            save_step(draft, answers.answers, 0, actor=resident)
            drafts.append(draft)
        return drafts

    started = time.monotonic()
    # One transaction per batch: one commit (one fsync on SQLite) per batch, not per draft.
    with transaction.atomic():
        for draft in complete_drafts(mine, MINE_CASES):
            submit_application(draft, actor=mine)
    drafts = {}
    for pool, count in (("step", args.step_drafts), ("submit", args.submit_drafts)):
        drafts[pool] = []
        for low in range(0, count, 500):
            with transaction.atomic():
                batch = complete_drafts(submitter, min(500, count - low))
            drafts[pool] += [str(d.id) for d in batch]
    cases = Case.objects.filter(municipality=place)
    return {
        "service": SERVICE_SLUG,
        "fields": sum(len(s["fields"]) for s in definition.steps),
        "mine_pid": mine_pid,
        "submitter_pid": submitter_pid,
        "mine_cases": Case.objects.filter(applicant_pid=mine_pid).count(),
        "cases": cases.count(),
        "open": cases.filter(
            status__in=[CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.WAITING]
        ).count(),
        "drafts": drafts,
        "history_s": round(history_s, 1),
        "drafts_s": round(time.monotonic() - started, 1),
    }


# --- Databases ---


@dataclass
class Target:
    """One database engine's run: where the product's and the floor's data live."""

    engine: str
    var_dir: Path
    product_url: str
    floor_url: str

    def version(self) -> str:
        if self.engine == "sqlite":
            return f"SQLite {sqlite3.sqlite_version}"
        import psycopg

        with psycopg.connect(self.product_url, connect_timeout=5) as conn:
            return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0]


def make_target(engine: str, args: argparse.Namespace) -> Target:
    """A fresh var folder and fresh databases for one engine."""
    var_dir = args.var_dir / engine
    if var_dir.exists():
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True)
    if engine == "sqlite":
        return Target(
            engine,
            var_dir,
            f"sqlite:///{var_dir / 'servicetorg.sqlite3'}",
            f"sqlite:///{var_dir / 'floor.sqlite3'}",
        )
    floor_url = args.postgres.rstrip("/") + "_floor"
    for url in (args.postgres, floor_url):
        fresh_database(url)
    return Target(engine, var_dir, args.postgres, floor_url)


def fresh_database(url: str) -> None:
    """Drop and create a PostgreSQL database on this machine made for this benchmark only."""
    import psycopg
    from psycopg import sql

    maintenance, name = check_database_url(url)
    if "loadbench" not in name or "insights" in name:
        raise SystemExit(f"refusing database {name!r}: the name must contain 'loadbench'")
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    create_database(maintenance, name)


def run_checked(command: list[str], env: dict, timeout: float, what: str) -> str:
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise SystemExit(f"{what} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def prepare_target(target: Target, args: argparse.Namespace, production) -> dict:
    """Migrate and fill the product's database; migrate the floor's."""
    started = time.monotonic()
    production.prepare(target.product_url, target.var_dir, production.RAISED_RATELIMITS)
    print(f"  product prepared (migrate, static, demo) in {time.monotonic() - started:.0f} s")
    run_checked(
        [sys.executable, str(FLOOR / "manage.py"), "migrate", "--noinput", "-v", "0"],
        floor_env(target),
        300,
        "the floor's migrate",
    )
    share = MEMORY_MIX.count("submit") / len(MEMORY_MIX)
    memory_submits = 0 if args.no_memory else 2 * math.ceil(args.memory_requests * share) + 50
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "_fill",
        "--step-drafts",
        str(2 * args.connections),
        "--submit-drafts",
        str(submit_pool(args) + memory_submits),
    ]
    env = production.server_env(
        target.product_url, target.var_dir, {**production.RAISED_RATELIMITS, "LOG_LEVEL": "WARNING"}
    )
    out = run_checked(command, env, 1200, "filling the product's database")
    filled = json.loads(out.strip().splitlines()[-1])
    print(
        f"  filled in {time.monotonic() - started:.0f} s: {filled['cases']} cases in Molde "
        f"({filled['open']} open; history {filled['history_s']} s), "
        f"{sum(len(v) for v in filled['drafts'].values())} drafts in {filled['drafts_s']} s"
    )
    return filled


def submit_pool(args: argparse.Namespace) -> int:
    """Final-submit drafts for one run: more than 32 connections can submit in --duration."""
    return max(300, int(args.duration * 250))


def floor_env(target: Target) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="floor.settings",
        DATABASE_URL=target.floor_url,
        VAR_DIR=str(target.var_dir),
        PYTHONPATH=str(FLOOR),
    )
    return env


# --- Sessions handed to wrk ---


def cookie_header(session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def log_in_staff(base_url: str, username: str, password: str):
    """A caseworker's session through the staff login page (password; no second factor)."""
    import requests

    session = requests.Session()
    session.get(f"{base_url}/ansatt/logg-inn/", timeout=30)
    done = session.post(
        f"{base_url}/ansatt/logg-inn/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
        },
        allow_redirects=False,
        timeout=30,
    )
    if done.status_code != 302:
        raise SystemExit(f"staff login of {username} answered {done.status_code}")
    return session


@dataclass
class Load:
    """One wrk run's requests and what a good answer is."""

    requests: list[dict]
    unique: bool = False
    expect_status: tuple[int, ...] = (200,)
    expect_location: str = ""


def get(path: str, cookies: str = "") -> dict:
    headers = {"Accept-Encoding": "gzip", "Accept-Language": "nb"}
    if cookies:
        headers["Cookie"] = cookies
    return {"method": "GET", "path": path, "headers": headers}


def post(path: str, data: dict, session) -> dict:
    """A form POST with the session's cookies and its CSRF token, as a browser sends it."""
    body = urlencode({**data, "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")})
    request = get(path, cookie_header(session))
    request["headers"]["Content-Type"] = "application/x-www-form-urlencoded"
    return {**request, "method": "POST", "body": body}


def product_loads(base_url: str, filled: dict, production) -> dict[str, Load]:
    """Log in the resident with 20 cases, the submitting resident and a caseworker."""
    import requests

    mine = production.Resident(base_url, filled["mine_pid"])
    mine.log_in()
    submitter = production.Resident(base_url, filled["submitter_pid"])
    submitter.log_in()
    staff = log_in_staff(base_url, f"saksbehandler.{MUNICIPALITY}", f"demo-{MUNICIPALITY}-2026")
    data = step_post(datetime.date.today())
    at = f"/{MUNICIPALITY}/soknad"
    steps = filled["drafts"]["step"]
    loads = {
        "catalog": Load([get(f"/{MUNICIPALITY}/")]),
        "service": Load([get(f"/{MUNICIPALITY}/tjenester/{filled['service']}/")]),
        "step_get": Load([get(f"{at}/{d}/steg/1/", cookie_header(submitter.session)) for d in steps]),
        "step_post": Load(
            [post(f"{at}/{d}/steg/1/", data, submitter.session) for d in steps],
            expect_status=(302,),
            expect_location="/oppsummering/$",
        ),
        "mine": Load([get("/mine-saker/", cookie_header(mine.session))]),
        "inbox": Load([get(f"/{MUNICIPALITY}/saksbehandling/", cookie_header(staff))]),
        "submit": Load(
            [post(f"{at}/{d}/oppsummering/", {}, submitter.session)
             for d in filled["drafts"]["submit"]],
            unique=True,
            expect_status=(302,),
            expect_location="/kvittering/[0-9a-f-]+/$",
        ),
    }  # fmt: skip
    # One request of each (the final submit excepted) must answer as the load expects.
    for key, load in loads.items():
        if key == "submit":
            continue
        r = load.requests[0]
        response = requests.request(
            r["method"], base_url + r["path"], headers=r["headers"], data=r.get("body"),
            allow_redirects=False, timeout=30,
        )  # fmt: skip
        if response.status_code not in load.expect_status:
            raise SystemExit(f"{key}: {r['path']} answered {response.status_code}")
    return loads


def floor_loads(base_url: str) -> dict[str, Load]:
    import requests

    session = requests.Session()
    session.get(f"{base_url}/form/", timeout=30)
    return {
        "floor_short": Load([get("/")]),
        "floor_form": Load([get("/form/", cookie_header(session))]),
        "floor_insert": Load(
            [post("/insert/", floor_post(), session)],
            expect_status=(302,),
            expect_location="saved=",
        ),
    }


# --- wrk ---


def lua(value) -> str:
    """A Python value as a Lua literal (strings, numbers, booleans, lists and dicts)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # JSON escapes are valid Lua escapes for these strings
    if isinstance(value, list | tuple):
        return "{" + ", ".join(lua(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua(k)}] = {lua(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def run_wrk(
    base_url: str, load: Load, args: argparse.Namespace, work_dir: Path, seconds: float
) -> dict:
    """Run wrk for `seconds` (less if a unique list runs out); return its counts and latencies."""
    work_dir.mkdir(parents=True, exist_ok=True)
    # A list sent once is driven by one thread: a wrk thread that has sent its share stops with
    # its connections open, and a sync worker that accepted one waits for a request that never
    # comes, as for a slow client; the other thread's last requests then wait seconds for a
    # free worker. One thread drives 32 connections far faster than the server answers.
    threads = 1 if load.unique else args.threads
    done_file = work_dir / "done"
    for old in work_dir.glob("done.*"):
        old.unlink()
    config = {
        "requests": load.requests,
        "unique": load.unique,
        "threads": threads,
        "expect": {"status": list(load.expect_status), "location": load.expect_location},
        "done_file": str(done_file),
    }
    config_path = work_dir / "config.lua"
    config_path.write_text("return " + lua(config) + "\n")
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{args.connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_SCRIPT),
        base_url,
        "--",
        str(config_path),
    ]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as p:
        deadline = time.monotonic() + seconds + 30
        while p.poll() is None:
            if time.monotonic() > deadline:
                p.kill()
                raise SystemExit("wrk did not stop in time")
            if load.unique and len(list(work_dir.glob("done.*"))) >= threads:
                p.send_signal(signal.SIGINT)  # every thread has sent its share: stop now
                break
            time.sleep(0.2)
        out, _ = p.communicate(timeout=60)
    (work_dir / "wrk.out").write_text(out)
    lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
    if not lines:
        raise SystemExit(f"wrk gave no result:\n{out}")
    result = json.loads(lines[-1][len("RESULT ") :])
    sockets = result["connect"] + result["read"] + result["write"] + result["timeout"]
    result["errors"] = sockets + result["wrong"]
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def summary(result: dict) -> str:
    return (
        f"{result['rps']:.1f} req/s, p50 {result['p50_us'] / 1000:.1f} ms, "
        f"p90 {result['p90_us'] / 1000:.1f} ms, p99 {result['p99_us'] / 1000:.1f} ms, "
        f"{result['errors']} errors {result['statuses']}"
    )


# --- Memory ---


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def memory_runs(base_url, server, loads, filled, args, work_dir, deadline: float) -> dict:
    """Two runs of --memory-requests mixed requests; each worker's RSS before and after each."""
    pids = sorted(server.worker_pids())
    readings = {"before": [rss_mb(p) for p in pids]}
    submits = iter(filled["drafts"]["submit"][submit_pool(args) :])
    at = f"/{MUNICIPALITY}/soknad"
    submit_request = loads["submit"].requests[0]
    results = []
    for run in (1, 2):
        requests = []
        for index in range(args.memory_requests):
            key = MEMORY_MIX[index % len(MEMORY_MIX)]
            if key == "submit":
                r = dict(submit_request, path=f"{at}/{next(submits)}/oppsummering/")
            else:
                options = loads[key].requests
                r = options[index % len(options)]
            requests.append(r)
        mix = Load(requests, unique=True, expect_status=(200, 302))
        seconds = min(900, max(30, deadline - time.monotonic()))
        result = run_wrk(base_url, mix, args, work_dir / f"memory{run}", seconds)
        time.sleep(1)
        if sorted(server.worker_pids()) != pids:
            raise SystemExit("a gunicorn worker was replaced during the memory runs")
        readings[f"after{run}"] = [rss_mb(p) for p in pids]
        results.append(result)
        print(f"  memory run {run}: {summary(result)}; RSS MB {readings[f'after{run}']}")
    return {"readings": readings, "runs": results}


# --- One database ---


def product_env(args: argparse.Namespace, production) -> dict[str, str]:
    """The product server's environment: raised rate limits (every client is 127.0.0.1) and,
    unless --redis '', Redis for the cache and the counters, emptied so runs do not mix."""
    if not args.redis:
        return dict(production.RAISED_RATELIMITS)
    import redis

    redis.Redis.from_url(args.redis).flushdb()
    return {**production.RAISED_RATELIMITS, "REDIS_URL": args.redis}


def run_database(engine: str, args: argparse.Namespace, deadline: float, production) -> dict:
    print(f"\n== {engine} ==", flush=True)
    target = make_target(engine, args)
    filled = prepare_target(target, args, production)
    load_before = os.getloadavg()
    keys = chosen_scenarios(args.only)
    results: dict[str, dict] = {}
    memory = None
    servers = [
        production.Server(
            target.product_url,
            target.var_dir,
            args.port,
            workers=args.workers,
            env=product_env(args, production),
        ),
        production.Server(
            target.floor_url,
            target.var_dir,
            args.port + 1,
            workers=args.workers,
            env={"DJANGO_SETTINGS_MODULE": "floor.settings", "PYTHONPATH": str(FLOOR)},
            wsgi="floor.wsgi:application",
        ),
    ]
    product, floor = servers
    try:
        for server in servers:
            server.start()
        print(f"  product: {' '.join(product.command())}")
        print(f"  floor:   {' '.join(floor.command())}")
        loads = {**floor_loads(floor.url), **product_loads(product.url, filled, production)}
        for server, warm in ((floor, "floor_form"), (product, "step_get")):
            run_wrk(server.url, loads[warm], args, target.var_dir / "wrk" / "warmup", 2)
        for key in keys:
            if time.monotonic() > deadline:
                print(f"  {key}: not run, --max-minutes reached")
                continue
            server = floor if key.startswith("floor_") else product
            time.sleep(1)
            result = run_wrk(
                server.url, loads[key], args, target.var_dir / "wrk" / key, args.duration
            )
            results[key] = result
            rss = [round(rss_mb(pid)) for pid in sorted(server.worker_pids())]
            print(f"  {BY_KEY[key].label}: {summary(result)}; RSS MB {rss}", flush=True)
        if not args.no_memory and time.monotonic() < deadline:
            memory = memory_runs(
                product.url, product, loads, filled, args, target.var_dir / "wrk", deadline
            )
        command = " ".join(product.command())
    finally:
        for server in servers:
            server.stop()
    return {
        "engine": engine,
        "version": target.version(),
        "filled": filled,
        "results": results,
        "memory": memory,
        "gunicorn": command,
        "load": (load_before, os.getloadavg()),
    }


# --- Report ---


def ratio_cells(key: str, results: dict) -> tuple[str, str, str]:
    """Ratio to its floor, the target, and whether it is met."""
    scenario = BY_KEY[key]
    if scenario.floor is None:
        return "1 (floor)", "", ""
    result, floor = results.get(key), results.get(scenario.floor)
    if not result or not floor or not floor["rps"]:
        return "", "", ""
    ratio = result["rps"] / floor["rps"]
    cell = f"{ratio:.2f} × {BY_KEY[scenario.floor].label.split(': ')[1]}"
    if scenario.minimum is None:
        return cell, "", ""
    target = f"≥ {scenario.minimum:g}×"
    met = ratio >= scenario.minimum and result["errors"] == 0
    if scenario.p99_ms is not None:
        target += f", p99 < {scenario.p99_ms:g} ms"
        met = met and result["p99_us"] / 1000 < scenario.p99_ms
    return cell, target, "yes" if met else "**no**"


def machine() -> str:
    memory = ""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    versions = ", ".join(f"{n} {importlib.metadata.version(n)}" for n in ("Django", "gunicorn"))
    return f"{os.cpu_count()} cores, {memory} (/proc/meminfo); Python {platform.python_version()}, {versions}"


def report(runs: list[dict], args: argparse.Namespace, argv: list[str], started: str) -> str:
    command = "make bench" if os.environ.get("BENCH_FROM_MAKE") else ""
    direct = ".venv/bin/python bench/harness.py " + " ".join(argv)
    lines = [
        f"Command: `{command or direct.strip()}`"
        + (f" (runs `{direct.strip()}`)" if command else "")
        + f"; {started}.",
        "",
        f"Machine: {machine()}. wrk: {args.threads} threads (one for the lists sent once: "
        f"final submits, memory runs), {args.connections} connections, "
        f"{args.duration:g} s per scenario; gunicorn: {args.workers} sync workers, "
        "`--max-requests` off; product and floor on 127.0.0.1, one after the other; the "
        + (
            "product's cache and rate-limit counters in Redis (`REDIS_URL`)."
            if args.redis
            else "product's cache and rate-limit counters in its database."
        ),
        "",
    ]
    for run in runs:
        before, after = run["load"]
        filled = run["filled"]
        lines += [
            f"**{run['version']}**, load average {before[0]:.2f} before and {after[0]:.2f} "
            f"after the scenarios. Molde: {filled['cases']:,} cases, {filled['open']} open "
            f"(the inbox's default list) before the final submits.",
            "",
            "| scenario | requests/s | p50 ms | p90 ms | p99 ms | errors | ratio to floor "
            "| target | met |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for key in REPORT_ORDER:
            result = run["results"].get(key)
            if result is None:
                continue
            ratio, target, met = ratio_cells(key, run["results"])
            lines.append(
                f"| {BY_KEY[key].label} | {result['rps']:.1f} | {result['p50_us'] / 1000:.1f} "
                f"| {result['p90_us'] / 1000:.1f} | {result['p99_us'] / 1000:.1f} "
                f"| {error_cell(result)} | {ratio} | {target} | {met} |"
            )
        lines.append("")
        if run["memory"]:
            lines += memory_lines(run["memory"], args)
    return "\n".join(lines).rstrip() + "\n"


def error_cell(result: dict) -> str:
    if not result["errors"]:
        return "0"
    odd = {s: n for s, n in result["statuses"].items() if s not in ("200", "302")}
    parts = [f"{result['wrong']} wrong answers {odd or ''}".strip()]
    sockets = {k: result[k] for k in ("connect", "read", "write", "timeout") if result[k]}
    if sockets:
        parts.append(f"sockets {sockets}")
    return f"{result['errors']} (" + "; ".join(parts) + ")"


def memory_lines(memory: dict, args: argparse.Namespace) -> list[str]:
    readings = memory["readings"]
    runs = memory["runs"]
    rows = ["| worker | before MB | after run 1 MB | after run 2 MB | growth in run 2 MB |"]
    rows.append("|---|---|---|---|---|")
    for i, (b, a1, a2) in enumerate(
        zip(readings["before"], readings["after1"], readings["after2"], strict=True), start=1
    ):
        rows.append(f"| {i} | {b:.1f} | {a1:.1f} | {a2:.1f} | {a2 - a1:+.1f} |")
    worst = max(readings["after2"])
    growth = max(a2 - a1 for a1, a2 in zip(readings["after1"], readings["after2"], strict=True))
    met = "yes" if worst < 150 and growth < 5 else "**no**"
    sent = " and ".join(f"{r['requests']:,}" for r in runs)
    errors = sum(r["errors"] for r in runs)
    timeouts = sum(r["timeout"] for r in runs)
    if errors:
        errors = f"{errors} errors, of which {timeouts} no answer within wrk's 10 s timeout"
    return [
        f"Memory (VmRSS of each worker): two runs of {args.memory_requests:,} requests in "
        "turn: catalog, service, form step, step POST and Mine saker twice each for one final "
        f"submit and one inbox (answers counted by wrk: {sent}, the last ones in flight when "
        f"wrk stops are not; {errors or 'no errors'}). Target: under "
        f"150 MB after 10,000 requests and no growth over the second run (here: under 5 MB): "
        f"{met}.",
        "",
        *rows,
        "",
    ]


SECTION = """## Load: Servicetorg beside bare Django (make bench)
`make bench` (`bench/harness.py`) serves the product the production way (gunicorn sync
workers, DEBUG off, WhiteNoise, `--max-requests` off while measuring) on 127.0.0.1 with a fresh
database, and beside it the floor, `bench/floor/`: a bare Django project (startproject's
settings and middleware, DEBUG off) with a short page, a page rendering a plain 15-field
`forms.Form` with Django's default widget templates, and a validated insert of one row (the
same form, then `objects.create`). Both run under the same gunicorn command line and the same
database engine with the same connection options; wrk drives one scenario at a time from a
second process (`bench/wrk/scenario.lua`) and the table gives each scenario's ratio to its
floor, because absolute numbers vary between runs and machines.

What each scenario does: the catalog page and a service page anonymously; the form step (GET)
and the step POST (all 15 answers, "next": the draft is saved and the answer is a redirect to
the review page) by a resident logged in through TestID's OpenID Connect flow, spread over 64
drafts; the final submit POSTs a different complete draft each time (a case with its number
and its event, in one transaction; the answer must be the redirect to the receipt); "Mine saker"
of a resident with 20 cases; the inbox (default list) of Molde's caseworker logged in with a
password. The bench service (15 fields on one step, the floor form's mix) is imported and
published through the service builder's own import; drafts are started and saved through the
product's actions. Every POST, product or floor, carries the session's CSRF token. Every request
asks for gzip (the product compresses; the floor has no GZip middleware). Errors are socket
errors plus every answer other than the one expected (a 200, or the right redirect). The
rate limits (`RATELIMIT_*`) are raised to 1,000,000/h in the server's environment, since every
client comes from 127.0.0.1. wrk runs on the same two cores as the servers.
"""


def write_doc(table: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        text = text.rstrip() + "\n\n" + SECTION + "\n" + BEGIN + "\n" + END + "\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(head + BEGIN + "\n" + table + END + tail, encoding="utf-8")


# --- Main ---


def check_port(port: int) -> None:
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is in use on 127.0.0.1: choose another with --port")


def interrupt(signum: int, frame) -> None:
    """SIGTERM ends the run as Ctrl-C does: through the `finally` that stops the servers."""
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    if argv[:1] == ["_fill"]:
        parser = argparse.ArgumentParser()
        parser.add_argument("--step-drafts", type=int, required=True)
        parser.add_argument("--submit-drafts", type=int, required=True)
        print(json.dumps(fill(parser.parse_args(argv[1:]))))
        return 0
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk (make bench does it)")
    check_port(args.port)
    check_port(args.port + 1)
    import production

    signal.signal(signal.SIGTERM, interrupt)
    deadline = time.monotonic() + args.max_minutes * 60
    started = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    runs = []
    try:
        for index, engine in enumerate(args.databases):
            # Each database gets its share of the time left, so a slow first one leaves time.
            share = (deadline - time.monotonic()) / (len(args.databases) - index)
            runs.append(run_database(engine, args, time.monotonic() + share, production))
            (args.var_dir / "results.json").write_text(json.dumps(runs, indent=1))
    except KeyboardInterrupt:
        print("interrupted; servers stopped")
        return 130
    table = report(runs, args, argv, started)
    print("\n" + table)
    if not args.no_write:
        write_doc(table)
        print(f"written to {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        sys.exit(main(sys.argv[1:]))
