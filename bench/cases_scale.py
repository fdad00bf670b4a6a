"""Fill PostgreSQL with many cases and time the inbox, the case page and "Mine saker".

    .venv/bin/python bench/cases_scale.py --cases 1000000 \\
        --database postgres://postgres@127.0.0.1:5432/servicetorg_bench

It creates the database if it is missing (the name must contain "bench": its cases are replaced),
migrates, loads the five demo municipalities with their services and staff, and fills them in
SQL (INSERT … SELECT from generate_series, in batches) with submissions, cases, timeline events,
messages and access-log rows spread over two years, shared out by population. Residents have
twenty cases each on average; the measured resident has exactly twenty, and two drafts.

It then asks for each page N times in this process through Django's test client (the whole
middleware stack, templates and the real database; no network) and prints p50/p95/p99 in ms and
the SQL queries per request. Only a database on this machine; it stops by itself (--max-minutes).
Run it again with the same --cases to measure again without refilling.
"""

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
BENCH_RESIDENT_CASES = 20
CASES_PER_RESIDENT = 20
STAFF_PER_MUNICIPALITY = 20
BATCH = 200_000
FIRST_NAMES = [
    "Kari", "Ola", "Ingrid", "Lars", "Sigrid", "Nils", "Marit", "Per", "Astrid", "Jon",
    "Ragnhild", "Arne", "Solveig", "Knut", "Liv", "Eirik", "Hege", "Terje", "Anne", "Bjørn",
    "Nora", "Jonas", "Emma", "Filip", "Sofie", "Elias", "Ella", "Oskar", "Maja", "Aksel",
]  # fmt: skip
LAST_NAMES = [
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
    "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen",
    "Lund", "Sørensen", "Jakobsen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg",
    "Svendsen", "Eide", "Knutsen", "Martinsen", "Paulsen", "Bakken", "Kristoffersen", "Mathisen",
    "Lie", "Amundsen", "Nguyen", "Rasmussen", "Ali", "Lunde", "Solheim", "Berge", "Moe",
    "Nygård", "Bakke", "Malmedal", "Hjelset", "Remme", "Aukrust", "Bolsønes", "Fræna",
]  # fmt: skip


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="how many cases (100000)")
    add_common_arguments(
        parser, "servicetorg_bench", requests=200, warmup=10, seconds=90, minutes=40
    )
    args = parser.parse_args(argv)
    if not 100 <= args.cases <= 20_000_000:
        parser.error("--cases must be between 100 and 20,000,000")
    return args


def add_common_arguments(
    parser: argparse.ArgumentParser,
    database: str,
    *,
    requests: int,
    warmup: int,
    seconds: float,
    minutes: float,
) -> None:
    """The options every benchmark here shares: where, how much, how long."""
    parser.add_argument(
        "--database",
        default=f"postgres://postgres@127.0.0.1:5432/{database}",
        help="a postgres:// URL on this machine; the name must contain 'bench'",
    )
    parser.add_argument(
        "--requests", type=int, default=requests, help=f"requests per page ({requests})"
    )
    parser.add_argument(
        "--warmup", type=int, default=warmup, help=f"unmeasured requests first ({warmup})"
    )
    parser.add_argument(
        "--page-seconds",
        type=float,
        default=seconds,
        help=f"time limit per page, measured part ({seconds:g})",
    )
    parser.add_argument(
        "--max-minutes", type=float, default=minutes, help=f"stop after this ({minutes:g})"
    )
    parser.add_argument("--refill", action="store_true", help="fill again even if filled")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE slow queries")
    parser.add_argument("--only", default="", help="measure only the pages whose name has this")
    parser.add_argument("--seed", type=float, default=0.42, help="random seed (0.42)")


def check_database_url(url: str) -> tuple[str, str]:
    """The URL of the maintenance database and the bench database's name; refuse anything else."""
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit("--database must be a postgres:// URL")
    if parts.hostname not in LOCAL_HOSTS:
        raise SystemExit("--database must be on this machine (127.0.0.1)")
    if "bench" not in name:
        raise SystemExit("the database name must contain 'bench': its cases are replaced")
    return parts._replace(path="/postgres").geturl(), name


def create_database(maintenance_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance_url, autocommit=True, connect_timeout=5) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "servicetorg.settings"
    os.environ.setdefault("VAR_DIR", "/tmp/servicetorg-bench")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["NOTIFY_ON_COMMIT"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def step(label: str) -> Callable[[], None]:
    started = time.monotonic()
    print(f"{label} …", flush=True)
    return lambda: print(f"  {label}: {time.monotonic() - started:.1f} s", flush=True)


# Filling


def literal(value) -> str:
    """A constant as SQL (only values this script chooses, never outside input)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict | list):
        return "'" + json.dumps(value).replace("'", "''") + "'::jsonb"
    if isinstance(value, datetime):
        return "now()"
    if isinstance(value, date):
        return f"'{value.isoformat()}'::date"
    return "'" + str(value).replace("'", "''") + "'"


def insert(model, values: dict[str, str], source: str) -> int:
    """INSERT INTO the model's table SELECT the expressions FROM source; return the row count.

    Columns not given get their field's default, so a column added later (with a default) does
    not break the benchmark; one without a default stops it, naming the column.
    """
    from django.db import connection

    columns, expressions = [], []
    for field in model._meta.concrete_fields:
        if field.column in values:
            expression = values[field.column]
        elif field.primary_key and field.get_internal_type().endswith("AutoField"):
            continue
        elif field.null:
            continue
        elif field.has_default():
            expression = literal(field.get_default())
        else:
            raise SystemExit(f"{model.__name__}.{field.name} needs a value in bench/cases_scale.py")
        columns.append(connection.ops.quote_name(field.column))
        expressions.append(expression)
    table = connection.ops.quote_name(model._meta.db_table)
    statement = (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(expressions)} FROM {source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement)
        return cursor.rowcount


def sql_array(values: list, cast: str = "") -> str:
    return "ARRAY[" + ", ".join(literal(v) for v in values) + "]" + cast


def prepare_cast() -> dict:
    """The demo municipalities, services and staff (and twenty more caseworkers each)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from servicetorg.accounts.constants import Role
    from servicetorg.accounts.models import Membership
    from servicetorg.catalog.models import Service
    from servicetorg.municipalities.models import Municipality

    call_command("load_demo", history=False, verbosity=0, stdout=open(os.devnull, "w"))
    places = list(Municipality.objects.filter(active=True).order_by("-population", "number"))
    User = get_user_model()
    with transaction.atomic():
        for place in places:
            for index in range(STAFF_PER_MUNICIPALITY):
                user, _ = User.objects.get_or_create(
                    username=f"bench-cw-{place.slug}-{index:02d}",
                    defaults={
                        "first_name": FIRST_NAMES[index % len(FIRST_NAMES)],
                        "last_name": f"Saksbehandler{index:02d}",
                    },
                )
                Membership.objects.get_or_create(
                    user=user, municipality=place, role=Role.CASEWORKER
                )
    services, staff = [], []
    for m, place in enumerate(places):
        offered = Service.objects.filter(municipality=place, published_version__isnull=False)
        for k, service in enumerate(offered.order_by("slug")):
            data = service.definition.data
            services.append(
                (
                    m,
                    k,
                    service.pk,
                    service.published_version_id,
                    data["department"],
                    data["handling_days"],
                )
            )
        members = Membership.objects.filter(
            municipality=place, role__in=[Role.CASEWORKER, Role.LEADER, Role.ADMIN]
        ).select_related("user")
        people = sorted({mb.user for mb in members}, key=lambda u: u.username)
        staff += [(m, k, u.pk, u.get_full_name() or u.username) for k, u in enumerate(people)]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_service, bench_staff")
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_service (m int, k int, service_id bigint, "
            "version_id bigint, department text, handling_days int)"
        )
        cursor.executemany("INSERT INTO bench_service VALUES (%s, %s, %s, %s, %s, %s)", services)
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_staff (m int, k int, user_id bigint, name text)"
        )
        cursor.executemany("INSERT INTO bench_staff VALUES (%s, %s, %s, %s)", staff)
    return {
        "places": places,
        "service_counts": [sum(1 for s in services if s[0] == m) for m in range(len(places))],
        "staff_counts": [sum(1 for s in staff if s[0] == m) for m in range(len(places))],
    }


def plan_sql(n: int, cast: dict, resident) -> str:
    """One row per case to be: where, what, when, who, which status (deterministic per seed)."""
    places = cast["places"]
    total = sum(p.population or 1 for p in places)
    bounds, running = [], 0.0
    for place in places[:-1]:
        running += (place.population or 1) / total
        bounds.append(running)
    which = "CASE " + " ".join(f"WHEN u0 < {b!r} THEN {i}" for i, b in enumerate(bounds))
    which += f" ELSE {len(places) - 1} END"
    residents = max(n // CASES_PER_RESIDENT, 100)
    first, last = sql_array(FIRST_NAMES), sql_array(LAST_NAMES)
    pid0, name0 = literal(resident.pid), literal(resident.name)
    fresh = "('received', 'in_progress', 'waiting')"
    return f"""
CREATE UNLOGGED TABLE bench_plan AS
WITH base AS (
  SELECT g, random() AS u0, random() AS u1, random() AS u2, random() AS u3, random() AS u4,
         random() AS u5, random() AS u6
  FROM generate_series(0, {n - 1}) AS g
), placed AS (
  SELECT b.*, {which} AS m,
         now() - (b.u1 * 730) * interval '1 day' AS received_at,
         CASE WHEN b.g < {BENCH_RESIDENT_CASES} THEN 0
              ELSE 1 + ((b.g::bigint * 2654435761) % {residents - 1}) END AS r
  FROM base b
), statused AS (
  SELECT p.*, extract(year FROM p.received_at AT TIME ZONE 'Europe/Oslo')::int AS year,
    CASE WHEN p.u1 * 730 < 45 THEN
      CASE WHEN p.u2 < 0.35 THEN 'received' WHEN p.u2 < 0.75 THEN 'in_progress'
           WHEN p.u2 < 0.87 THEN 'waiting' WHEN p.u2 < 0.95 THEN 'decided' ELSE 'rejected' END
    ELSE
      CASE WHEN p.u2 < 0.03 THEN 'in_progress' WHEN p.u2 < 0.04 THEN 'waiting'
           WHEN p.u2 < 0.05 THEN 'received' WHEN p.u2 < 0.80 THEN 'closed'
           WHEN p.u2 < 0.92 THEN 'decided' WHEN p.u2 < 0.97 THEN 'rejected' ELSE 'withdrawn' END
    END AS status
  FROM placed p
)
SELECT s.g, s.m, ({sql_array([p.pk for p in places])})[s.m + 1] AS municipality_id,
  sv.service_id, sv.version_id, sv.department, sv.handling_days, s.r,
  CASE WHEN s.r = 0 THEN {pid0} ELSE (10000000000 + s.r)::text END AS pid,
  CASE WHEN s.r = 0 THEN {name0}
       ELSE ({first})[1 + s.r % {len(FIRST_NAMES)}] || ' '
            || ({last})[1 + (s.r / {len(FIRST_NAMES)}) % {len(LAST_NAMES)}] END AS name,
  s.received_at, s.year, s.status,
  row_number() OVER (PARTITION BY s.m, s.year ORDER BY s.received_at, s.g) AS sequence,
  (s.received_at AT TIME ZONE 'Europe/Oslo')::date + sv.handling_days AS due_date,
  CASE WHEN s.status <> 'received' THEN st.user_id END AS assignee_id,
  CASE WHEN s.status <> 'received' THEN st.name END AS staff_name,
  s.status <> 'received' AND s.u6 < 0.3 AS has_messages,
  s.status IN {fresh} AND s.u5 < 0.05 AS staff_unread,
  s.u5 < 0.2 AS resident_unread,
  s.status <> 'received' AND sv.handling_days > 30 AND s.u5 > 0.6 AS interim_reply,
  ('00000000-0000-4000-a000-' || lpad(to_hex(s.g), 12, '0'))::uuid AS decision_id,
  ('00000000-0000-4000-8000-' || lpad(to_hex(s.g), 12, '0'))::uuid AS submission_id,
  ('00000000-0000-4000-9000-' || lpad(to_hex(s.g), 12, '0'))::uuid AS case_id
FROM statused s
JOIN bench_service sv ON sv.m = s.m
  AND sv.k = floor(s.u3 * ({sql_array(cast["service_counts"])})[s.m + 1])::int
JOIN bench_staff st ON st.m = s.m
  AND st.k = floor(s.u4 * ({sql_array(cast["staff_counts"])})[s.m + 1])::int
"""


def fill(n: int, seed: float) -> None:
    from django.db import connection

    from servicetorg.cases.models import Case, CaseAccess, CaseEvent, CaseNumberSequence, Message
    from servicetorg.identity.demo import demo_people
    from servicetorg.submissions.models import Draft, Submission

    try:
        from servicetorg.cases.decision_models import Decision
    except ImportError:  # an installation without decisions yet
        Decision = None
    done = step("demo municipalities, services and staff")
    cast = prepare_cast()
    done()
    resident = demo_people()[0]
    done = step(f"plan of {n:,} cases")
    with connection.cursor() as cursor:
        # One process, one plan: random() gives the same data for the same seed.
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute(f"SELECT setseed({seed!r})")
        cursor.execute(
            "TRUNCATE submissions_submission, submissions_draft, cases_case, "
            "cases_casenumbersequence CASCADE"
        )
        cursor.execute("DROP TABLE IF EXISTS bench_plan")
        cursor.execute(plan_sql(n, cast, resident))
        cursor.execute("CREATE INDEX ON bench_plan (g)")
    done()
    totals = {"submissions": 0, "cases": 0, "events": 0, "messages": 0, "accesses": 0}
    if Decision is not None:
        totals["decisions"] = 0
    started = time.monotonic()
    for low in range(0, n, BATCH):
        rows = f"bench_plan p WHERE p.g >= {low} AND p.g < {low + BATCH}"
        totals["submissions"] += insert_submissions(Submission, rows)
        totals["cases"] += insert_cases(Case, rows)
        totals["events"] += insert_events(CaseEvent, rows)
        totals["messages"] += insert_messages(Message, rows)
        totals["accesses"] += insert_accesses(CaseAccess, rows)
        if Decision is not None:
            totals["decisions"] += insert_decisions(Decision, rows)
        elapsed = time.monotonic() - started
        print(f"  {min(low + BATCH, n):,} cases in {elapsed:.0f} s: {totals}", flush=True)
    insert(
        CaseNumberSequence,
        {"municipality_id": "municipality_id", "year": "year", "last": "max(sequence)"},
        "bench_plan GROUP BY municipality_id, year",
    )
    add_drafts(Draft, resident)
    done = step("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        for model in (Submission, Case, CaseEvent, Message, CaseAccess, Draft):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        cursor.execute("DROP TABLE bench_plan")
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_filled (cases bigint)")
        cursor.execute("DELETE FROM bench_filled")
        cursor.execute("INSERT INTO bench_filled VALUES (%s)", [n])
    done()


def insert_submissions(model, rows: str) -> int:
    return insert(
        model,
        {
            "id": "p.submission_id",
            "municipality_id": "p.municipality_id",
            "service_id": "p.service_id",
            "service_version_id": "p.version_id",
            "applicant_pid": "p.pid",
            "applicant_name": "p.name",
            "answers": "jsonb_build_object('comment', 'Søknad nummer ' || p.g)",
            "prefill": "'{}'::jsonb",
            "channel": "'digital'",
            "submitted_at": "p.received_at",
        },
        rows,
    )


# The last interim reply or decision (the timeline's events below), as the actions store it.
ANSWERED_AT = """CASE
  WHEN p.status IN ('decided', 'closed')
    THEN LEAST(p.received_at + p.handling_days * interval '12 hours' - interval '1 minute', now())
  WHEN p.interim_reply THEN LEAST(p.received_at + interval '20 days', now()) END"""


def insert_cases(model, rows: str) -> int:
    version = (
        "1 + (p.assignee_id IS NOT NULL)::int * 2 + (p.has_messages)::int * 2"
        " + (p.status IN ('decided', 'rejected', 'withdrawn', 'closed'))::int"
        " + (p.status = 'closed')::int"
    )
    return insert(
        model,
        {
            "id": "p.case_id",
            "municipality_id": "p.municipality_id",
            "year": "p.year",
            "sequence": "p.sequence",
            "service_id": "p.service_id",
            "department": "p.department",
            "submission_id": "p.submission_id",
            "applicant_pid": "p.pid",
            "applicant_name": "p.name",
            "language": "'nb'",
            "status": "p.status",
            "assignee_id": "p.assignee_id",
            "staff_unread": "p.staff_unread",
            "channel": "'digital'",
            "answered_at": ANSWERED_AT,
            "version": version,
            "received_at": "p.received_at",
            "due_date": "p.due_date",
        },
        rows,
    )


FINAL = "('decided', 'rejected', 'withdrawn', 'closed')"


def insert_events(model, rows: str) -> int:
    """The timeline: received, assigned, in progress, a message each way, waiting, decided…"""
    staff = "'staff', p.assignee_id::bigint, p.staff_name"
    values = f"""(VALUES
  ('submitted', p.received_at, 'resident', NULL::bigint, p.name, 1,
   '{{"channel": "digital"}}'::jsonb, true),
  ('assigned', p.received_at + interval '1 day', {staff}, 2,
   jsonb_build_object('to', p.staff_name), p.assignee_id IS NOT NULL),
  ('status_changed', p.received_at + interval '26 hours', {staff}, 3,
   '{{"from": "received", "to": "in_progress"}}'::jsonb, p.status <> 'received'),
  ('message_sent', p.received_at + interval '3 days', {staff}, 4,
   '{{"kind": "message"}}'::jsonb, p.has_messages),
  ('message_received', p.received_at + interval '4 days', 'resident', NULL::bigint, p.name, 5,
   '{{}}'::jsonb, p.has_messages AND p.status <> 'waiting'),
  ('status_changed', p.received_at + interval '5 days', {staff}, 6,
   '{{"from": "in_progress", "to": "waiting"}}'::jsonb, p.status = 'waiting'),
  ('interim_reply_sent', p.received_at + interval '20 days', {staff}, 6,
   '{{}}'::jsonb, p.interim_reply),
  ('decision_sent', p.received_at + p.handling_days * interval '12 hours'
   - interval '1 minute', {staff}, 7, jsonb_build_object('decision', p.decision_id::text),
   p.status IN ('decided', 'closed')),
  ('status_changed', p.received_at + p.handling_days * interval '12 hours', {staff}, 7,
   jsonb_build_object('from', 'in_progress', 'to',
     CASE WHEN p.status = 'closed' THEN 'decided' ELSE p.status END), p.status IN {FINAL}),
  ('status_changed', p.received_at + p.handling_days * interval '1 day', {staff}, 8,
   '{{"from": "decided", "to": "closed"}}'::jsonb, p.status = 'closed')
) AS e(kind, at, actor_kind, user_id, actor_name, version, data, keep)"""
    return insert(
        model,
        {
            "case_id": "p.case_id",
            "kind": "e.kind",
            "at": "LEAST(e.at, now())",
            "actor_kind": "e.actor_kind",
            "actor_user_id": "e.user_id",
            "actor_name": "e.actor_name",
            "case_version": "e.version",
            "data": "e.data",
        },
        rows.replace(" WHERE ", f" CROSS JOIN LATERAL {values} WHERE e.keep AND "),
    )


def insert_messages(model, rows: str) -> int:
    """A message from the caseworker and the applicant's answer, on three cases in ten."""
    values = """(VALUES
  ('staff', p.assignee_id::bigint, p.staff_name,
   CASE WHEN p.status = 'waiting' THEN 'question' ELSE 'message' END,
   'Hei! Vi trenger litt mer informasjon før vi kan behandle søknaden din.',
   p.received_at + interval '3 days', NULL::timestamptz,
   CASE WHEN p.resident_unread THEN NULL ELSE p.received_at + interval '80 hours' END, true),
  ('resident', NULL::bigint, p.name, 'message', 'Takk! Her er det som manglet.',
   p.received_at + interval '4 days',
   CASE WHEN p.staff_unread THEN NULL ELSE p.received_at + interval '100 hours' END,
   NULL::timestamptz, p.status <> 'waiting')
) AS e(kind, user_id, name, message_kind, body, at, staff_read, resident_read, keep)"""
    return insert(
        model,
        {
            "case_id": "p.case_id",
            "author_kind": "e.kind",
            "author_user_id": "e.user_id",
            "author_name": "e.name",
            "kind": "e.message_kind",
            "body": "e.body",
            "created_at": "LEAST(e.at, now())",
            "read_by_staff_at": "LEAST(e.staff_read, now())",
            "read_by_resident_at": "LEAST(e.resident_read, now())",
        },
        rows.replace(
            " WHERE ", f" CROSS JOIN LATERAL {values} WHERE e.keep AND p.has_messages AND "
        ),
    )


def insert_accesses(model, rows: str) -> int:
    """The access log: the caseworker's views and changes, the applicant's views."""
    staff = "'staff', p.assignee_id::bigint, p.staff_name"
    values = f"""(VALUES
  ({staff}, 'view', '', p.received_at + interval '23 hours', p.assignee_id IS NOT NULL),
  ({staff}, 'change', 'assigned', p.received_at + interval '1 day', p.assignee_id IS NOT NULL),
  ({staff}, 'change', 'status_changed', p.received_at + interval '26 hours',
   p.status <> 'received'),
  ({staff}, 'change', 'message_sent', p.received_at + interval '3 days', p.has_messages),
  ('resident', NULL::bigint, p.name, 'view', '', p.received_at + interval '80 hours',
   p.has_messages),
  ({staff}, 'view', '', p.received_at + interval '100 hours', p.has_messages),
  ({staff}, 'change', 'interim_reply_sent', p.received_at + interval '20 days',
   p.interim_reply),
  ({staff}, 'change', 'decision_sent', p.received_at + p.handling_days * interval '12 hours',
   p.status IN ('decided', 'closed')),
  ({staff}, 'change', 'status_changed', p.received_at + p.handling_days * interval '12 hours',
   p.status IN {FINAL})
) AS e(kind, user_id, name, action, target, at, keep)"""
    return insert(
        model,
        {
            "case_id": "p.case_id",
            "municipality_id": "p.municipality_id",
            "actor_kind": "e.kind",
            "user_id": "e.user_id",
            "actor_name": "e.name",
            "action": "e.action",
            "target": "e.target",
            "at": "LEAST(e.at, now())",
        },
        rows.replace(" WHERE ", f" CROSS JOIN LATERAL {values} WHERE e.keep AND "),
    )


def insert_decisions(model, rows: str) -> int:
    """The decision letter of every decided case (the row; no PDF file is written)."""
    return insert(
        model,
        {
            "id": "p.decision_id",
            "case_id": "p.case_id",
            "outcome": "'approve'",
            "title": "'Vedtak om ' || p.department",
            "body": "'Søknaden din er innvilget. Vedtaket kan påklages innen tre uker.'",
            "language": "'nb'",
            "sent_at": "LEAST(p.received_at + p.handling_days * interval '12 hours', now())",
            "sent_by_id": "p.assignee_id",
            "sent_by_name": "p.staff_name",
            "letter": "'decisions/' || p.decision_id::text || '.pdf'",
            "appeal_deadline": "(LEAST(p.received_at + p.handling_days * interval '12 hours', now())"
            " AT TIME ZONE 'Europe/Oslo')::date + 21",
        },
        rows + " AND p.status IN ('decided', 'closed')",
    )


def add_drafts(model, resident) -> None:
    from servicetorg.catalog.models import Service

    for service in Service.objects.filter(published_version__isnull=False).order_by("pk")[:2]:
        model.objects.create(
            municipality=service.municipality,
            service=service,
            service_version=service.published_version,
            owner_pid=resident.pid,
            answers={"comment": "Utkast"},
        )


def filled_with() -> int | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_filled')")
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute("SELECT cases FROM bench_filled")
        row = cursor.fetchone()
    return row[0] if row else None


# Measuring


def percentile(times: list[float], p: int) -> float:
    return (
        statistics.quantiles(times, n=100, method="inclusive")[p - 1]
        if len(times) > 1
        else times[0]
    )


def measure(client, label: str, url_for: Callable[[int], str], args, deadline: float) -> dict:
    """Time `args.requests` requests (after a warm-up); count the queries of a few of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get(index: int):
        response = client.get(url_for(index), HTTP_ACCEPT_ENCODING="gzip")
        if response.status_code != 200:
            raise SystemExit(f"{label}: {url_for(index)} answered {response.status_code}")
        return response

    for index in range(args.warmup):
        get(index)
        if index >= 2 and time.monotonic() > deadline:
            break
    counts, queries = [], []
    for index in range(5):
        with CaptureQueriesContext(connection) as captured:
            get(index)
        counts.append(len(captured.captured_queries))
        queries += captured.captured_queries
    times = []
    stop = min(deadline, time.monotonic() + args.page_seconds)
    for index in range(args.requests):
        if time.monotonic() > stop:
            print(f"  {label}: stopped at the time limit after {len(times)} requests")
            break
        started = time.perf_counter()
        get(index)
        times.append((time.perf_counter() - started) * 1000)
    slowest = sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:3]
    result = {
        "page": label,
        "n": len(times),
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
        "max": max(times),
        "queries": f"{min(counts)}"
        if min(counts) == max(counts)
        else f"{min(counts)}–{max(counts)}",
        "slowest": [(float(q["time"]) * 1000, q["sql"]) for q in slowest],
    }
    print(
        f"  {label}: p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, "
        f"p99 {result['p99']:.1f} ms, {result['queries']} queries",
        flush=True,
    )
    if args.explain and slowest:
        explain(slowest[0]["sql"])
    return result


def explain(query: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query)
        print("    " + "\n    ".join(row[0] for row in cursor.fetchall()))


def scenarios() -> list[tuple[str, object, Callable[[int], str]]]:
    """(label, client, url for request i): the pages measured, with their users."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from servicetorg.accounts.constants import Role
    from servicetorg.accounts.models import Membership
    from servicetorg.cases.models import Case
    from servicetorg.identity.demo import demo_people
    from servicetorg.municipalities.models import Municipality

    place = Municipality.objects.order_by("-population").first()
    inbox = f"/{place.slug}/saksbehandling/"
    users = get_user_model().objects
    leader = users.get(username=f"leder.{place.slug}")
    # A caseworker limited to the busiest department.
    busiest = (
        Case.objects.filter(municipality=place)
        .values("department")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["department"]
    )
    limited, _ = users.get_or_create(username=f"bench-cw-{place.slug}-department")
    Membership.objects.update_or_create(
        user=limited, municipality=place, role=Role.CASEWORKER, defaults={"departments": [busiest]}
    )
    sample = list(
        Case.objects.filter(municipality=place)
        .order_by("?")
        .values_list("pk", "year", "sequence")[:500]
    )
    pages = max(1, Case.objects.filter(municipality=place).count() // 25)
    names = ["Hansen", "Kari Olsen", "Berg", "Nygård", "Malmedal"]  # surnames and a full name
    resident = demo_people()[0]
    own = list(Case.objects.filter(applicant_pid=resident.pid).values_list("pk", flat=True))

    def staff_client(user) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
        return client

    leader_client, limited_client = staff_client(leader), staff_client(limited)
    resident_client = sign_in(resident)
    return [
        ("inbox, default filter (leader)", leader_client, lambda i: inbox),
        (f"inbox, default filter (caseworker, {busiest})", limited_client, lambda i: inbox),
        (
            "inbox, search by name, all statuses",
            leader_client,
            lambda i: f"{inbox}?status=all&q={quote(names[i % len(names)])}",
        ),
        (
            "inbox, search by case number",
            leader_client,
            lambda i: (
                f"{inbox}?status=all&q={sample[i % len(sample)][1]}/{sample[i % len(sample)][2]:05d}"
            ),
        ),
        (
            "inbox, all statuses, a page deep in the list (shown: page 40 at most)",
            leader_client,
            lambda i: f"{inbox}?status=all&sort=-received&page={1 + (i * 7919) % pages}",
        ),
        (
            "case page",
            leader_client,
            lambda i: f"/{place.slug}/saksbehandling/sak/{sample[i % len(sample)][0]}/",
        ),
        (f"Mine saker ({len(own)} cases, 2 drafts)", resident_client, lambda i: "/mine-saker/"),
        (
            "Mine saker, one case",
            resident_client,
            lambda i: f"/mine-saker/{own[i % len(own)]}/",
        ),
    ]


def sign_in(resident, level: str = "substantial"):
    """A test client with the resident signed in, as the OpenID Connect callback leaves it."""
    from importlib import import_module

    from django.conf import settings
    from django.http import HttpRequest
    from django.test import Client

    from servicetorg.identity.residents import sign_in_resident

    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    sign_in_resident(request, resident, level=level)
    request.session.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    return client


def report(results: list[dict], args, counts: dict) -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"{counts['cases']:,} cases, {counts['events']:,} events, {counts['messages']:,} messages, "
        f"{counts['accesses']:,} access rows; {args.requests} requests per page; "
        f"load average at the end {load} on {os.cpu_count()} cores.",
        "",
        *results_table(results),
    ]
    return "\n".join(lines)


def results_table(results: list[dict]) -> list[str]:
    """The measured pages as a Markdown table (also used by insights_scale.py)."""
    lines = [
        "| page | n | p50 ms | p95 ms | p99 ms | max ms | SQL queries |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['page']} | {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
            f"{r['max']:.1f} | {r['queries']} |"
        )
    return lines


def main(argv: list[str]) -> int:
    """Fill if needed, then measure."""
    args = parse_args(argv)
    deadline = time.monotonic() + args.max_minutes * 60
    maintenance, name = check_database_url(args.database)
    create_database(maintenance, name)
    setup_django(args.database)
    from django.core.management import call_command
    from django.db import connection

    done = step("migrate and collect static files")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    done()
    if args.refill or filled_with() != args.cases:
        done = step(f"fill {args.cases:,} cases")
        fill(args.cases, args.seed)
        done()
    else:
        print(f"already filled with {args.cases:,} cases (use --refill to fill again)")
    with connection.cursor() as cursor:
        counts = {}
        for key, table in (
            ("cases", "cases_case"),
            ("events", "cases_caseevent"),
            ("messages", "cases_message"),
            ("accesses", "cases_caseaccess"),
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[key] = cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"PostgreSQL {version}; {counts}")
    print(f"load average before measuring: {os.getloadavg()}")
    results = []
    for label, client, url_for in scenarios():
        if args.only not in label:
            continue
        if time.monotonic() > deadline:
            print("stopped: --max-minutes reached")
            break
        results.append(measure(client, label, url_for, args, deadline))
    print()
    print(report(results, args, counts))
    for r in results:
        if r["p95"] > 100:
            print(f"\n{r['page']}: p95 over 100 ms; slowest queries:")
            for ms, query in r["slowest"]:
                print(f"  {ms:.1f} ms  {query[:400]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
