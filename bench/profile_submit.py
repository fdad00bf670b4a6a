"""Where a final submit's time goes: cProfile over submits through Django's test client.

Runs in-process on the database `make bench` left behind (SQLite under
/tmp/servicetorg-loadbench/sqlite/, or PostgreSQL `servicetorg_loadbench`), with Redis for the
cache and counters as the benchmark has them, and prints each part's share of the request:

    .venv/bin/python bench/profile_submit.py [--database URL] [--submits 200]

It starts its own drafts of the bench service (copies of a submitted one) for one resident.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

SQLITE = "sqlite:////tmp/servicetorg-loadbench/sqlite/servicetorg.sqlite3"
PARTS = {
    "whole request": ("django/test/client.py", "request"),
    "the view": ("submissions/views.py", "review"),
    "  reading the draft (owner, municipality)": ("submissions/views.py", "_live_draft"),
    "  rate-limit counters": ("lib/ratelimits.py", "hit"),
    "  submit_application (locked re-read, writes)": (
        "submissions/actions.py",
        "submit_application",
    ),
    "  commit": ("django/db/transaction.py", "__exit__"),
    "session load": ("sessions/backends/base.py", "_get_session"),
}


def setup(database: str, redis: str) -> None:
    import production

    os.environ.update(
        production.server_env(database, Path("/tmp/servicetorg-profile"), {"REDIS_URL": redis}),
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="WARNING",
    )
    os.environ.update(production.RAISED_RATELIMITS)
    import django

    django.setup()


def drafts_and_client(count: int):
    from cases_scale import sign_in
    from django.db import transaction

    from servicetorg.identity.residents import Resident
    from servicetorg.submissions.actions import start_draft
    from servicetorg.submissions.models import Draft

    model = Draft.objects.exclude(submitted_at=None).order_by("-updated_at").first()
    resident = Resident(pid=model.owner_pid, name="Profil")
    with transaction.atomic():
        drafts = [start_draft(model.service, actor=resident) for _ in range(count)]
        Draft.objects.filter(pk__in=[d.pk for d in drafts]).update(
            answers=model.answers, step=model.step
        )
    return drafts, sign_in(resident, level="high")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=SQLITE)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--submits", type=int, default=200)
    args = parser.parse_args()
    setup(args.database, args.redis)
    warm = 20
    drafts, client = drafts_and_client(args.submits + warm)
    slug = drafts[0].municipality.slug

    def submit(draft) -> None:
        response = client.post(f"/{slug}/soknad/{draft.id}/oppsummering/", {})
        if response.status_code != 302 or "/kvittering/" not in response["Location"]:
            raise SystemExit(f"submit answered {response.status_code}")

    for draft in drafts[:warm]:
        submit(draft)
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for draft in drafts[warm:]:
        submit(draft)
    profile.disable()
    elapsed = time.perf_counter() - started
    found: dict[str, float] = {}
    for (filename, _line, name), (*_counts, cumulative, _callers) in pstats.Stats(
        profile
    ).stats.items():
        for label, (suffix, function) in PARTS.items():
            if filename.endswith(suffix) and name == function:
                found[label] = max(found.get(label, 0.0), cumulative)
    whole = found["whole request"]
    print(f"{args.database}: {args.submits} submits, {elapsed / args.submits * 1000:.2f} ms each")
    print("(under cProfile, which slows Python code more than waiting)")
    for label in PARTS:
        share = found.get(label, 0.0) / whole * 100
        print(f"{label:48s} {found.get(label, 0.0) / args.submits * 1000:6.2f} ms {share:5.1f} %")


if __name__ == "__main__":
    main()
