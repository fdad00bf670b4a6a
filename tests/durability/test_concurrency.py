"""Concurrent final submits over real HTTP: one case per draft, case numbers 1..N.

On SQLite every submit queues for the one writer (transaction_mode IMMEDIATE, busy timeout);
no request may fail with "database is locked".
"""

import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from bench.production import Resident, resident_pids
from servicetorg.cases.models import Case
from servicetorg.submissions.models import Submission
from tests.durability.checks import integrity_problems, numbering_problems

pytestmark = pytest.mark.durability

SERVICE = "tomming-slamavskiller"  # three short steps, no files: the submit itself is tested
RECEIPT = re.compile(r"/kvittering/([0-9a-f-]{36})/$")


def all_at_once(calls: list[Callable[[], requests.Response]]) -> list[requests.Response]:
    """Run the calls in as many threads, released together by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(timeout=60)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def same_browser(resident: Resident) -> requests.Session:
    """Another connection of the same browser: the resident's cookies, its own socket."""
    session = requests.Session()
    session.cookies.update(resident.session.cookies)
    return session


def receipt_of(response: requests.Response) -> str | None:
    match = RECEIPT.search(response.headers.get("Location", ""))
    return match.group(1) if response.status_code == 302 and match else None


def test_it_makes_one_case_of_fifty_simultaneous_submits(make_server):
    server = make_server(workers=6).start()
    resident = Resident(server.url, resident_pids(1)[0])
    resident.log_in()
    draft = resident.start("molde", SERVICE)
    resident.fill(draft)
    url = f"{server.url}/molde/soknad/{draft}/oppsummering/"
    form = {"csrfmiddlewaretoken": resident.csrf_token()}
    sessions = [same_browser(resident) for _ in range(50)]

    responses = all_at_once(
        [lambda s=s: s.post(url, data=form, allow_redirects=False, timeout=60) for s in sessions]
    )

    receipts = {receipt_of(r) for r in responses}
    assert len(receipts) == 1 and None not in receipts, [r.status_code for r in responses]
    assert Submission.objects.filter(draft_key=draft).count() == 1
    assert Case.objects.filter(submission__draft_key=draft).count() == 1
    assert str(Submission.objects.get(draft_key=draft).pk) in receipts
    assert not integrity_problems()
    assert not numbering_problems()
    assert "database is locked" not in server.log(tail=10**7)


def test_it_numbers_concurrent_cases_without_gaps(make_server):
    server = make_server(workers=6).start()
    residents = [Resident(server.url, pid) for pid in resident_pids(40)]
    # A login holds one worker while it asks TestID (the same server) on another: half each.
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(Resident.log_in, residents))

    def three_drafts(resident: Resident) -> list[tuple[Resident, str]]:
        # Two municipalities: each has its own sequence.
        places = ("molde", "aukra", "molde")
        drafts = [(resident, resident.start(place, SERVICE)) for place in places]
        for _, draft in drafts:
            resident.fill(draft)
        return drafts

    with ThreadPoolExecutor(4) as pool:
        drafts = [d for found in pool.map(three_drafts, residents) for d in found]

    responses = all_at_once(
        [lambda r=r, d=d: r.post(f"/{r.drafts[d][0]}/soknad/{d}/oppsummering/") for r, d in drafts]
    )

    refused = [(r.status_code, r.text[:200]) for r in responses if receipt_of(r) is None]
    assert not refused, refused[:5]
    assert Case.objects.count() == len(drafts) == 120
    assert not integrity_problems()
    assert not numbering_problems()
    assert "database is locked" not in server.log(tail=10**7)
