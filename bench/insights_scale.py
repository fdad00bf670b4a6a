"""Fill PostgreSQL with 357 municipalities and 10,000,000 cases' daily figures; time the dashboard.

    .venv/bin/python bench/insights_scale.py --cases 10000000 \\
        --database postgres://postgres@127.0.0.1:5432/servicetorg_insights_bench

It creates the database if it is missing (the name must contain "bench": its cases and figures
are replaced), migrates, loads the five demo municipalities (real names and numbers) with their
starter services and staff, and adds generated ones ("Benchkommune 001" …, numbers 9001 …) with
the starter services until there are --municipalities (357), populations falling off like
Norway's (a few large, most small; 5.6 million in all). The cases are shared out by population,
exactly --cases in all, received over two years (digital share rising from 78 % to 90 %),
decided after a spread of days around each service's handling time.

The cases are planned in SQL (one row per case, INSERT … SELECT from generate_series), then:
- the raw rows (submissions, cases, decisions, messages, timeline events) are written for the
  measured municipality only (--raw, "molde"), and its daily figures are built by the product's
  own aggregation (`aggregation.refresh_range`, timed: a figure for the periodic task);
- every other municipality's DailyFigures rows are computed straight from the plan in one SQL
  statement, by the same rules (docs/insights.md), and their MonthlyFigures by the product's
  `refresh_months`. The script checks that the SQL gives exactly the rows `refresh_range` gives
  for the raw municipality, so the two halves agree, and that every month row is its days summed.
Writing all 10 million raw cases and refreshing them through the ORM would take an hour or more
on this machine (docs/benchmarks.md, "Insights at scale").

It then asks for each page N times in this process through Django's test client as the leader of
the raw municipality (whole middleware stack, templates, the real database; no network) and
prints p50/p95/p99 in ms and the SQL queries per request. Only a database on this machine; it
stops by itself (--max-minutes). Run it again with the same arguments to measure again without
refilling.
"""

import argparse
import os
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases_scale as base  # noqa: E402  (the shared helpers of the cases benchmark)

DEMO_SLUGS = 5
STAFF = 10
YEARS_DAYS = 730


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000_000, help="how many (10,000,000)")
    parser.add_argument("--municipalities", type=int, default=357, help="how many (357)")
    parser.add_argument("--raw", default="molde", help="the municipality measured (raw cases)")
    parser.add_argument(
        "--continue-fill",
        action="store_true",
        help="with --all-raw: the raw rows are written; rebuild and check the figures only",
    )
    parser.add_argument(
        "--all-raw",
        action="store_true",
        help="raw cases for every municipality, all figures built by refresh_insights --all",
    )
    base.add_common_arguments(
        parser, "servicetorg_insights_bench", requests=100, warmup=5, seconds=60, minutes=45
    )
    args = parser.parse_args(argv)
    if not 1000 <= args.cases <= 20_000_000:
        parser.error("--cases must be between 1,000 and 20,000,000")
    if not DEMO_SLUGS <= args.municipalities <= 999:
        parser.error("--municipalities must be between 5 and 999")
    return args


# The municipalities


def populations(n: int) -> list[int]:
    """Generated populations, largest first: 720,000 / rank^0.93 (5.6 million for 352)."""
    return [max(200, round(720_000 / rank**0.93)) for rank in range(1, n + 1)]


def prepare_places(args) -> list:
    """The demo municipalities and generated ones, each with the starter services."""
    from django.core.management import call_command

    from servicetorg.catalog.models import Service
    from servicetorg.catalog.starter import load_starter_services
    from servicetorg.municipalities.actions import add_municipality
    from servicetorg.municipalities.models import Municipality

    call_command("load_demo", history=False, verbosity=0, stdout=open(os.devnull, "w"))
    demo = Municipality.objects.exclude(slug__startswith="benchkommune-").count()
    for index, population in enumerate(populations(args.municipalities - demo), start=1):
        place = add_municipality(
            number=f"9{index:03d}",
            name=f"Benchkommune {index:03d}",
            slug=f"benchkommune-{index:03d}",
            population=population,
        )
        if not Service.objects.filter(municipality=place).exists():
            load_starter_services(place)
    return list(Municipality.objects.filter(active=True).order_by("-population", "number"))


def shares(total: int, weights: list[int]) -> list[int]:
    """`total` shared out by weight, largest remainders first: the parts sum to `total`."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: parts[i] - exact[i])
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def prepare_tables(places: list, cases: int, raw, all_raw: bool) -> None:
    """bench_muni (m, municipality_id, cases), bench_service (m, k, service …) and bench_staff
    (municipality_id, k, user_id, name) with bench_staff_count."""
    from django.db import connection

    from servicetorg.catalog.models import Service

    counts = shares(cases, [p.population or 1 for p in places])
    services = []
    for m, place in enumerate(places):
        offered = Service.objects.filter(municipality=place, published_version__isnull=False)
        for k, service in enumerate(offered.order_by("slug").select_related("published_version")):
            data = service.definition.data
            services.append(
                (m, k, service.pk, service.published_version_id, data["department"],
                 data["handling_days"])
            )  # fmt: skip
    staff = bench_staff(places if all_raw else [raw], raw)
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TABLE IF EXISTS bench_muni, bench_service, bench_staff, bench_count, "
            "bench_staff_count"
        )
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_muni (m int, municipality_id bigint, cases int)"
        )
        cursor.executemany(
            "INSERT INTO bench_muni VALUES (%s, %s, %s)",
            [(m, p.pk, counts[m]) for m, p in enumerate(places)],
        )
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_service (m int, k int, service_id bigint, "
            "version_id bigint, department text, handling_days int)"
        )
        cursor.executemany("INSERT INTO bench_service VALUES (%s, %s, %s, %s, %s, %s)", services)
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_staff "
            "(municipality_id bigint, k int, user_id bigint, name text)"
        )
        cursor.executemany("INSERT INTO bench_staff VALUES (%s, %s, %s, %s)", staff)
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_staff_count AS SELECT municipality_id, count(*)::int AS n "
            "FROM bench_staff GROUP BY municipality_id"
        )
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_count AS SELECT m, count(*)::int AS n "
            "FROM bench_service GROUP BY m"
        )


def bench_staff(places: list, raw) -> list[tuple]:
    """Caseworkers who decide the raw cases: STAFF in the measured municipality, 2 elsewhere."""
    from django.contrib.auth import get_user_model

    from servicetorg.accounts.constants import Role
    from servicetorg.accounts.models import Membership

    User = get_user_model()
    wanted = {
        f"bench-cw-{place.slug}-{index:02d}": (place, index)
        for place in places
        for index in range(STAFF if place.pk == raw.pk else 2)
    }
    User.objects.bulk_create(
        [
            User(username=name, first_name=base.FIRST_NAMES[index], last_name="Saksbehandler")
            for name, (_place, index) in wanted.items()
        ],
        ignore_conflicts=True,
    )
    users = {u.username: u for u in User.objects.filter(username__in=wanted)}
    Membership.objects.bulk_create(
        [
            Membership(user=users[name], municipality=place, role=Role.CASEWORKER)
            for name, (place, _index) in wanted.items()
        ],
        ignore_conflicts=True,
    )
    return [
        (place.pk, index, users[name].pk, users[name].get_full_name())
        for name, (place, index) in wanted.items()
    ]


# The plan: one row per case, with everything the figures are made of.

PLAN = f"""
CREATE UNLOGGED TABLE bench_plan AS
WITH base AS (
  SELECT b.m, b.municipality_id, g, random() AS u1, random() AS u2, random() AS u3,
         random() AS u4, random() AS u5, random() AS u6
  FROM bench_muni b CROSS JOIN LATERAL generate_series(1, b.cases) AS g
), timed AS (
  SELECT x.*, sv.service_id, sv.version_id, sv.department, sv.handling_days,
    date_trunc('second', now() - x.u1 * {YEARS_DAYS} * interval '1 day') AS received_at,
    -- Days to decision: mostly within the handling time, one in six later.
    floor(sv.handling_days * (0.15 + 1.1 * power(x.u4, 1.4)))::int AS plan_days
  FROM base x
  JOIN bench_count c ON c.m = x.m
  JOIN bench_service sv ON sv.m = x.m AND sv.k = floor(x.u3 * c.n)::int
), decided AS (
  SELECT t.*,
    CASE WHEN t.u2 >= 0.07 AND t.received_at + t.plan_days * interval '1 day'
                                 + t.u6 * interval '8 hours' <= now()
         THEN t.received_at + t.plan_days * interval '1 day' + t.u6 * interval '8 hours'
    END AS decided_at,
    -- The newer, the more digital: 78 % two years ago, 90 % now.
    CASE WHEN t.u5 < 0.78 + 0.12 * (1 - t.u1) THEN 'digital'
         WHEN t.u6 < 0.5 THEN 'paper' WHEN t.u6 < 0.8 THEN 'email' ELSE 'phone' END AS channel,
    t.u5 < 0.3 AS has_messages,
    t.u5 < 0.12 AS question,
    t.plan_days > 25 AND t.u6 < 0.75 AND t.received_at + interval '20 days' <= now()
      AS interim_reply
  FROM timed t
)
SELECT d.m, d.municipality_id, d.g, d.service_id, d.version_id, d.department, d.handling_days,
  d.received_at, d.decided_at, d.channel, d.has_messages, d.question, d.interim_reply,
  CASE WHEN d.decided_at IS NOT NULL THEN
         CASE WHEN d.decided_at < now() - interval '14 days' AND d.u6 < 0.8 THEN 'closed'
              ELSE 'decided' END
       WHEN d.u2 < 0.04 THEN 'in_progress'
       WHEN d.u2 < 0.055 THEN 'rejected'
       WHEN d.u2 < 0.07 THEN 'withdrawn'
       WHEN d.received_at > now() - interval '2 days' THEN 'received'
       WHEN d.question THEN 'waiting'
       ELSE 'in_progress' END AS status,
  d.has_messages AND d.received_at + interval '3 days' <= now() AS staff_message,
  d.has_messages AND d.received_at + interval '4 days' <= now() AS resident_message
FROM decided d
"""

# The daily figures of every municipality but the raw one, by the rules of aggregation.py.
LOCAL = "AT TIME ZONE 'Europe/Oslo')::date"
FACTS = f"""
SELECT p.municipality_id, p.service_id, p.channel,
  (p.received_at {LOCAL} AS received_on,
  (p.decided_at {LOCAL} AS decided_on,
  (p.decided_at {LOCAL} - (p.received_at {LOCAL} AS days,
  (p.decided_at {LOCAL} <= (p.received_at {LOCAL} + p.handling_days AS in_time,
  (p.decided_at {LOCAL} > ((p.received_at {LOCAL} + interval '1 month')::date AS interim_needed,
  p.interim_reply AND ((p.received_at + interval '20 days') {LOCAL}
    <= ((p.received_at {LOCAL} + interval '1 month')::date AS interim_sent_by_due,
  p.question AND p.staff_message AS needed_information,
  p.staff_message::int + p.resident_message::int AS messages,
  CASE WHEN p.staff_message THEN ((p.received_at + interval '3 days') {LOCAL} END AS staff_on,
  CASE WHEN p.resident_message THEN ((p.received_at + interval '4 days') {LOCAL} END
    AS resident_on
FROM bench_plan p
"""

FIGURES = f"""
INSERT INTO insights_dailyfigures (municipality_id, service_id, day, received_digital,
  received_paper, received_email, received_phone, decided, decided_in_time, needed_information,
  decided_messages, interim_needed, interim_in_time, messages_from_staff,
  messages_from_applicants, letters_digital, decision_days, refreshed_at)
WITH facts AS MATERIALIZED ({FACTS} WHERE %(where)s),
items AS (
  SELECT municipality_id, service_id, received_on AS day,
    (channel = 'digital')::int AS rd, (channel = 'paper')::int AS rp,
    (channel = 'email')::int AS re, (channel = 'phone')::int AS rph,
    0 AS d, 0 AS dit, 0 AS ni, 0 AS dm, 0 AS inn, 0 AS iit, 0 AS ms, 0 AS ma
  FROM facts
  UNION ALL
  SELECT municipality_id, service_id, decided_on, 0, 0, 0, 0, 1, in_time::int,
    needed_information::int, messages, interim_needed::int,
    (interim_needed AND interim_sent_by_due)::int, 0, 0
  FROM facts WHERE decided_on IS NOT NULL
  UNION ALL
  SELECT municipality_id, service_id, staff_on, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0
  FROM facts WHERE staff_on IS NOT NULL
  UNION ALL
  SELECT municipality_id, service_id, resident_on, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
  FROM facts WHERE resident_on IS NOT NULL
), histograms AS (
  SELECT municipality_id, service_id, decided_on AS day, jsonb_object_agg(days::text, n) AS h
  FROM (
    SELECT municipality_id, service_id, decided_on, days, count(*) AS n
    FROM facts WHERE decided_on IS NOT NULL GROUP BY 1, 2, 3, 4
  ) per_days GROUP BY 1, 2, 3
)
SELECT s.*, coalesce(h.h, '{{}}'::jsonb), now()
FROM (
  SELECT municipality_id, service_id, day, sum(rd) AS rd, sum(rp) AS rp, sum(re) AS re,
    sum(rph) AS rph, sum(d) AS d, sum(dit) AS dit, sum(ni) AS ni, sum(dm) AS dm,
    sum(inn) AS inn, sum(iit) AS iit, sum(ms) AS ms, sum(ma) AS ma, sum(d) AS letters
  FROM items GROUP BY municipality_id, service_id, day
) s
LEFT JOIN histograms h USING (municipality_id, service_id, day)
"""


def fill(args, places: list, raw) -> dict:
    """Plan the cases, write the raw municipality's rows, and every other one's figures."""
    from django.db import connection

    timings = {}
    done = base.step("tables of municipalities, services and staff")
    prepare_tables(places, args.cases, raw, args.all_raw)
    done()
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.execute("SET work_mem = '512MB'")
        cursor.execute(f"SELECT setseed({args.seed!r})")
        cursor.execute(
            "TRUNCATE submissions_submission, submissions_draft, cases_case, "
            "cases_casenumbersequence, insights_dailyfigures, insights_monthlyfigures, "
            "insights_dailystaffwork CASCADE"
        )
        cursor.execute("DROP TABLE IF EXISTS bench_plan, bench_filled")
        started = time.monotonic()
        done = base.step(f"plan of {args.cases:,} cases")
        cursor.execute(PLAN)
        timings["plan"] = time.monotonic() - started
        done()
    if args.all_raw:
        timings.update(fill_everywhere(places, raw))
        return finish_fill(args, places, timings)
    timings.update(plan_figures(places, raw))
    started = time.monotonic()
    done = base.step(f"raw cases of {raw.name}")
    timings.update(fill_raw(f"p.municipality_id = {raw.pk}"))
    timings["raw_fill"] = time.monotonic() - started
    done()
    timings.update(refresh_raw(raw))
    return finish_fill(args, places, timings)


def finish_fill(args, places: list, timings: dict) -> dict:
    from django.db import connection

    from servicetorg.insights.models import DailyFigures, DailyStaffWork

    timings["check_month_rows_differing"] = check_months()
    with connection.cursor() as cursor:
        for model in (DailyFigures, DailyStaffWork):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        cursor.execute("DROP TABLE IF EXISTS bench_plan, bench_raw, bench_expected")
        cursor.execute("CREATE TABLE bench_filled (key text, value double precision)")
        cursor.executemany(
            "INSERT INTO bench_filled VALUES (%s, %s)",
            [("cases", args.cases), ("municipalities", len(places)), *timings.items()],
        )
    return timings


def plan_figures(places: list, raw) -> dict:
    """Daily figures computed from the plan in SQL, and their monthly rows by the product's
    `refresh_months`, for every municipality but `raw` (None: every one)."""
    from django.db import connection

    which = "every municipality" if raw is None else "the other municipalities"
    timings = {}
    with connection.cursor() as cursor:
        started = time.monotonic()
        done = base.step(f"daily figures of {which}, in SQL")
        where = "true" if raw is None else f"p.municipality_id <> {raw.pk}"
        cursor.execute(FIGURES.replace("%(where)s", where))
        timings["figures_sql"] = time.monotonic() - started
        timings["figures_sql_rows"] = cursor.rowcount
        done()
    started = time.monotonic()
    done = base.step(f"monthly figures of {which} (refresh_months)")
    timings["months_rows"] = build_months(places, raw)
    timings["months"] = time.monotonic() - started
    done()
    return timings


def build_months(places: list, raw) -> int:
    """The product's monthly rows from the daily rows the SQL wrote, municipality by
    municipality (refresh_range writes the raw municipality's; None: every one)."""
    from django.utils import timezone

    from servicetorg.insights.aggregation import refresh_months

    today = timezone.localdate()
    start = today - timedelta(days=YEARS_DAYS + 1)
    skip = raw.pk if raw else None
    return sum(refresh_months(place, start, today) for place in places if place.pk != skip)


MONTHS_CHECK = """
WITH d AS (
  SELECT municipality_id, date_trunc('month', day)::date AS month,
    sum(received_digital) AS rd, sum(received_paper) AS rp, sum(received_email) AS re,
    sum(received_phone) AS rph, sum(decided) AS dc, sum(decided_in_time) AS dit,
    sum(needed_information) AS ni, sum(decided_messages) AS dm, sum(interim_needed) AS inn,
    sum(interim_in_time) AS iit, sum(messages_from_staff) AS ms,
    sum(messages_from_applicants) AS ma, sum(letters_digital) AS ld
  FROM insights_dailyfigures GROUP BY 1, 2
), h AS (
  SELECT municipality_id, date_trunc('month', day)::date AS month, key, sum(value::int) AS n
  FROM insights_dailyfigures, jsonb_each_text(decision_days) GROUP BY 1, 2, 3
), hm AS (
  SELECT municipality_id, month, key, value::int AS n
  FROM insights_monthlyfigures, jsonb_each_text(decision_days)
)
SELECT
  (SELECT count(*) FROM d FULL JOIN insights_monthlyfigures m USING (municipality_id, month)
   WHERE (d.rd, d.rp, d.re, d.rph, d.dc, d.dit, d.ni, d.dm, d.inn, d.iit, d.ms, d.ma, d.ld)
     IS DISTINCT FROM (m.received_digital, m.received_paper, m.received_email,
       m.received_phone, m.decided, m.decided_in_time, m.needed_information,
       m.decided_messages, m.interim_needed, m.interim_in_time, m.messages_from_staff,
       m.messages_from_applicants, m.letters_digital))
  + (SELECT count(*) FROM h FULL JOIN hm USING (municipality_id, month, key)
     WHERE h.n IS DISTINCT FROM hm.n)
"""


def check_months() -> int:
    """Monthly rows that differ from their days summed (counts or histograms): 0 expected."""
    from django.db import connection

    done = base.step("check: the monthly rows are their daily rows summed")
    with connection.cursor() as cursor:
        cursor.execute(MONTHS_CHECK)
        differing = cursor.fetchone()[0]
    print(f"  monthly rows differing: {differing}")
    done()
    return differing


RAW_PLAN = """
CREATE UNLOGGED TABLE bench_raw AS
SELECT p.*, extract(year FROM p.received_at AT TIME ZONE 'Europe/Oslo')::int AS year,
  row_number() OVER (PARTITION BY p.municipality_id,
                       extract(year FROM p.received_at AT TIME ZONE 'Europe/Oslo')
                     ORDER BY p.received_at, p.g) AS sequence,
  (p.received_at AT TIME ZONE 'Europe/Oslo')::date + p.handling_days AS due_date,
  (10000000000 + p.g % 40000)::text AS pid,
  'Innbygger ' || (p.g % 40000) AS name,
  st.user_id AS assignee_id, st.name AS staff_name,
  ('00000000-0000-4000-8000-' || lpad(to_hex(p.municipality_id * 100000000 + p.g), 12, '0'))::uuid AS submission_id,
  ('00000000-0000-4000-9000-' || lpad(to_hex(p.municipality_id * 100000000 + p.g), 12, '0'))::uuid AS case_id,
  ('00000000-0000-4000-a000-' || lpad(to_hex(p.municipality_id * 100000000 + p.g), 12, '0'))::uuid AS decision_id
FROM bench_plan p
JOIN bench_staff_count sc ON sc.municipality_id = p.municipality_id
JOIN bench_staff st ON st.municipality_id = p.municipality_id AND st.k = p.g % sc.n
WHERE {where}
"""


def fill_raw(where: str) -> dict:
    """Submissions, cases, decisions, messages and events of the planned cases `where` says."""
    from django.db import connection

    from servicetorg.cases.decision_models import Decision
    from servicetorg.cases.models import Case, CaseEvent, CaseNumberSequence, Message
    from servicetorg.submissions.models import Submission

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw")
        cursor.execute(RAW_PLAN.format(where=where))
    rows = "bench_raw p"
    counts = {}
    counts["raw_submissions"] = base.insert(
        Submission,
        {
            "id": "p.submission_id",
            "municipality_id": "p.municipality_id",
            "service_id": "p.service_id",
            "service_version_id": "p.version_id",
            "applicant_pid": "p.pid",
            "applicant_name": "p.name",
            "answers": "jsonb_build_object('comment', 'Søknad nummer ' || p.g)",
            "prefill": "'{}'::jsonb",
            "channel": "p.channel",
            "submitted_at": "p.received_at",
        },
        rows,
    )
    counts["raw_cases"] = base.insert(
        Case,
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
            "assignee_id": "CASE WHEN p.status <> 'received' THEN p.assignee_id END",
            "staff_unread": "false",
            "channel": "p.channel",
            "answered_at": "coalesce(p.decided_at, CASE WHEN p.interim_reply "
            "THEN p.received_at + interval '20 days' END)",
            "version": "2",
            "received_at": "p.received_at",
            "due_date": "p.due_date",
        },
        rows,
    )
    counts["raw_decisions"] = base.insert(
        Decision,
        {
            "id": "p.decision_id",
            "case_id": "p.case_id",
            "outcome": "'approve'",
            "title": "'Vedtak om ' || p.department",
            "body": "'Søknaden din er innvilget.'",
            "language": "'nb'",
            "sent_at": "p.decided_at",
            "sent_by_id": "p.assignee_id",
            "sent_by_name": "p.staff_name",
            "letter": "'decisions/' || p.decision_id::text || '.pdf'",
            "appeal_deadline": "(p.decided_at AT TIME ZONE 'Europe/Oslo')::date + 21",
        },
        rows + " WHERE p.decided_at IS NOT NULL",
    )
    messages = """(VALUES
  ('staff', p.assignee_id, p.staff_name,
   CASE WHEN p.question THEN 'question' ELSE 'message' END,
   'Hei! Vi trenger litt mer informasjon.', p.received_at + interval '3 days', p.staff_message),
  ('resident', NULL::bigint, p.name, 'message', 'Takk! Her er det som manglet.',
   p.received_at + interval '4 days', p.resident_message)
) AS e(kind, user_id, name, message_kind, body, at, keep)"""
    counts["raw_messages"] = base.insert(
        Message,
        {
            "case_id": "p.case_id",
            "author_kind": "e.kind",
            "author_user_id": "e.user_id",
            "author_name": "e.name",
            "kind": "e.message_kind",
            "body": "e.body",
            "created_at": "e.at",
        },
        f"{rows} CROSS JOIN LATERAL {messages} WHERE e.keep",
    )
    staff = "'staff', p.assignee_id, p.staff_name"
    events = f"""(VALUES
  ('submitted', p.received_at, 'resident', NULL::bigint, p.name, '{{}}'::jsonb, true),
  ('assigned', p.received_at + interval '1 day', {staff}, jsonb_build_object('to', p.staff_name),
   p.status <> 'received' AND p.received_at + interval '1 day' <= now()),
  ('interim_reply_sent', p.received_at + interval '20 days', {staff}, '{{}}'::jsonb,
   p.interim_reply),
  ('decision_sent', p.decided_at, {staff}, jsonb_build_object('decision', p.decision_id::text),
   p.decided_at IS NOT NULL)
) AS e(kind, at, actor_kind, user_id, actor_name, data, keep)"""
    counts["raw_events"] = base.insert(
        CaseEvent,
        {
            "case_id": "p.case_id",
            "kind": "e.kind",
            "at": "e.at",
            "actor_kind": "e.actor_kind",
            "actor_user_id": "e.user_id",
            "actor_name": "e.actor_name",
            "case_version": "1",
            "data": "e.data",
        },
        f"{rows} CROSS JOIN LATERAL {events} WHERE e.keep",
    )
    base.insert(
        CaseNumberSequence,
        {"municipality_id": "municipality_id", "year": "year", "last": "max(sequence)"},
        "bench_raw GROUP BY municipality_id, year",
    )
    with connection.cursor() as cursor:
        for model in (Submission, Case, Decision, Message, CaseEvent):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return counts


@contextmanager
def bulk_load(tables: list[str]):
    """Secondary indexes dropped and foreign-key triggers off while the tables are written,
    then the indexes rebuilt (each from its own definition) and the tables analysed. Primary
    keys and unique constraints stay, so duplicates still fail."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) "
            "AND i.schemaname = 'public' AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("SET maintenance_work_mem = '1GB'")
            done = base.step(f"rebuild {len(indexes)} indexes")
            for _name, definition in indexes:
                cursor.execute(definition)
            done()
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")


def fill_everywhere(places: list, raw) -> dict:
    """Raw rows for every planned case (secondary indexes rebuilt afterwards), then the
    figures (`refresh_everywhere`)."""

    from servicetorg.cases.decision_models import Decision
    from servicetorg.cases.models import Case, CaseEvent, Message
    from servicetorg.submissions.models import Submission

    tables = [m._meta.db_table for m in (Submission, Case, Decision, Message, CaseEvent)]
    timings = {}
    started = time.monotonic()
    done = base.step("raw cases of every municipality (indexes rebuilt afterwards)")
    with bulk_load(tables):
        timings.update(fill_raw("true"))
    timings["raw_fill"] = time.monotonic() - started
    done()
    return timings | refresh_everywhere(places, raw)


SAMPLE = 12  # municipalities rebuilt by refresh_range and compared with the plan


def refresh_everywhere(places: list, raw) -> dict:
    """Every municipality has raw cases. Their daily figures are computed from the plan in SQL
    and their monthly rows by the product's `refresh_months`; then, for a sample (the measured
    municipality, the largest, the smallest and random others), the product's `refresh_range`
    rebuilds two years from the raw rows and must give exactly the SQL's rows. The periodic
    refresh (`refresh_insights`: marked days, yesterday and today, every municipality) is timed
    over the full 10 million. (--continue-fill starts here when a fill stopped after the raw
    rows.)"""
    import random

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from servicetorg.insights.aggregation import refresh_range

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE insights_dailyfigures, insights_monthlyfigures")
    timings = plan_figures(places, None)
    by_size = sorted(places, key=lambda p: p.population or 0)
    others = [p for p in places if p.pk not in {raw.pk, by_size[0].pk, by_size[-1].pk}]
    sample = [raw, by_size[-1], by_size[0], *random.Random(1).sample(others, SAMPLE - 3)]
    today = timezone.localdate()
    start = today - timedelta(days=YEARS_DAYS + 1)
    done = base.step(f"refresh_range over two years of {len(sample)} municipalities")
    cases = rebuilt = 0
    started = time.monotonic()
    for place in sample:
        cases += place.case_set.count()
        rebuilt += refresh_range(place, start, today)
    timings["sample_refresh"] = time.monotonic() - started
    timings["sample_cases"] = cases
    timings["sample_rows"] = rebuilt
    print(
        f"  {cases:,} cases, {rebuilt:,} daily rows, {cases / timings['sample_refresh']:.0f} cases/s"
    )
    done()
    timings["check_rows_differing"] = sum(check_against_plan(p.pk) for p in sample)
    done = base.step("manage.py refresh_insights (every municipality, yesterday and today)")
    started = time.monotonic()
    call_command("refresh_insights", stdout=open(os.devnull, "w"))
    timings["refresh_periodic"] = time.monotonic() - started
    done()
    return timings


def check_against_plan(municipality_pk: int | None) -> int:
    """Daily rows that differ between the product's refresh and the plan's SQL, of one
    municipality or all: 0 expected."""
    from django.db import connection

    done = base.step("check: the product's daily figures equal the plan's, row for row")
    columns = (
        "municipality_id, service_id, day, received_digital, received_paper, received_email, "
        "received_phone, decided, decided_in_time, needed_information, decided_messages, "
        "interim_needed, interim_in_time, messages_from_staff, messages_from_applicants, "
        "letters_digital, decision_days"
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_expected")
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_expected AS SELECT * FROM insights_dailyfigures LIMIT 0"
        )
        statement = FIGURES.replace("insights_dailyfigures", "bench_expected", 1)
        only = f"municipality_id = {municipality_pk}" if municipality_pk else "true"
        cursor.execute(statement.replace("%(where)s", "p." + only if municipality_pk else only))
        window = only
        differing = []
        for first, second in (
            ("bench_expected", "insights_dailyfigures"),
            ("insights_dailyfigures", "bench_expected"),
        ):
            cursor.execute(
                f"SELECT count(*) FROM ((SELECT {columns} FROM {first} WHERE {window}) "
                f"EXCEPT ALL (SELECT {columns} FROM {second} WHERE {window})) x"
            )
            differing.append(cursor.fetchone()[0])
    print(f"  rows only in the SQL: {differing[0]}; only from the product: {differing[1]}")
    done()
    return sum(differing)


def refresh_raw(raw) -> dict:
    """The product's aggregation over the raw municipality's two years, timed; then the check
    that the SQL of the other municipalities gives the same rows from the same plan."""
    from django.utils import timezone

    from servicetorg.insights.aggregation import refresh_day, refresh_range

    today = timezone.localdate()
    start = today - timedelta(days=YEARS_DAYS + 1)
    done = base.step(f"refresh_range of {raw.name}, {start} to {today}")
    started = time.monotonic()
    rows = refresh_range(raw, start, today)
    result = {"refresh_range": time.monotonic() - started, "refresh_rows": rows}
    done()
    started = time.monotonic()
    refresh_day(raw, today - timedelta(days=1))
    refresh_day(raw, today)
    result["refresh_yesterday_today"] = time.monotonic() - started
    print(f"  refresh of yesterday and today: {result['refresh_yesterday_today']:.2f} s")
    result["check_rows_differing"] = check_against_plan(raw.pk)
    return result


def filled_with() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_filled')")
        if cursor.fetchone()[0] is None:
            return {}
        cursor.execute("SELECT key, value FROM bench_filled")
        return dict(cursor.fetchall())


# Measuring


def scenarios(raw) -> list:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from servicetorg.catalog.models import Service

    leader = get_user_model().objects.get(username=f"leder.{raw.slug}")
    client = Client()
    client.force_login(leader, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    today = timezone.localdate()
    last_year = today.year - 1
    quarter = (today.month - 1) // 3 or 4
    q_year = today.year if (today.month - 1) // 3 else last_year
    month_date = today.replace(day=1) - timedelta(days=1)
    busiest = (
        Service.objects.filter(municipality=raw, published_version__isnull=False)
        .order_by("slug")
        .first()
    )
    periods = [
        (f"year {last_year}", f"period=year&year={last_year}"),
        (f"quarter {quarter}/{q_year}", f"period=quarter&year={q_year}&quarter={quarter}"),
        (
            f"month {month_date.month}/{month_date.year}",
            f"period=month&year={month_date.year}&month={month_date.month}",
        ),
    ]
    dashboard = f"/{raw.slug}/innsikt/"
    result = []
    for label, query in periods:
        result.append((f"dashboard, {label}, all services", client, dashboard + "?" + query))
        result.append(
            (
                f"dashboard, {label}, one service ({busiest.slug})",
                client,
                f"{dashboard}?{query}&service={busiest.pk}",
            )
        )
    for label, query in periods:
        result.append((f"neighbours, {label}", client, f"{dashboard}naboer/?{query}"))
    return [(label, c, (lambda i, u=url: u)) for label, c, url in result]


def volumes() -> dict:
    from django.db import connection

    found = {}
    with connection.cursor() as cursor:
        for key, table in (
            ("daily_figures", "insights_dailyfigures"),
            ("monthly_figures", "insights_monthlyfigures"),
            ("daily_staff_work", "insights_dailystaffwork"),
            ("raw_cases", "cases_case"),
            ("municipalities", "municipalities_municipality"),
            ("services", "catalog_service"),
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")
            found[key] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT sum(received_digital + received_paper + received_email + received_phone), "
            "sum(decided) FROM insights_dailyfigures"
        )
        found["received_in_figures"], found["decided_in_figures"] = cursor.fetchone()
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('insights_dailyfigures'))")
        found["daily_figures_size"] = cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        found["postgresql"] = cursor.fetchone()[0]
    return found


def report(results: list[dict], args) -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"{args.requests} requests per page; load average at the end {load} on "
        f"{os.cpu_count()} cores.",
        "",
        *base.results_table(results),
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    deadline = time.monotonic() + args.max_minutes * 60
    maintenance, name = base.check_database_url(args.database)
    base.create_database(maintenance, name)
    os.environ.setdefault("VAR_DIR", "/tmp/servicetorg-insights-bench")
    base.setup_django(args.database)
    from django.core.management import call_command

    from servicetorg.municipalities.models import Municipality

    done = base.step("migrate and collect static files")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    done()
    filled = filled_with()
    wanted = {"cases": args.cases, "municipalities": args.municipalities}
    if args.continue_fill:
        places = list(Municipality.objects.order_by("pk"))
        raw = Municipality.objects.get(slug=args.raw)
        filled = finish_fill(args, places, refresh_everywhere(places, raw))
    elif args.refill or any(filled.get(k) != v for k, v in wanted.items()):
        done = base.step(f"{args.municipalities} municipalities with their starter services")
        places = prepare_places(args)
        done()
        raw = Municipality.objects.get(slug=args.raw)
        done = base.step(f"fill {args.cases:,} cases")
        filled = fill(args, places, raw)
        done()
    else:
        print(f"already filled with {args.cases:,} cases (use --refill to fill again)")
    raw = Municipality.objects.get(slug=args.raw)
    for key, value in filled.items():
        print(f"  {key}: {value:,.1f}" if isinstance(value, float) else f"  {key}: {value}")
    for key, value in volumes().items():
        print(f"  {key}: {value}")
    print(f"load average before measuring: {os.getloadavg()}")
    results = []
    for label, client, url_for in scenarios(raw):
        if args.only not in label:
            continue
        if time.monotonic() > deadline:
            print("stopped: --max-minutes reached")
            break
        results.append(base.measure(client, label, url_for, args, deadline))
    print()
    print(report(results, args))
    for r in results:
        if r["p95"] > 300:
            print(f"\n{r['page']}: p95 over 300 ms; slowest queries:")
            for ms, query in r["slowest"]:
                print(f"  {ms:.1f} ms  {query[:400]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
