"""Crash test: 32 residents submit while the whole server is killed (SIGKILL) and restarted.

Afterwards every application whose receipt reached a client exists exactly once, with its
answers and attachments, and nothing half-written, orphaned or numbered twice remains.
"""

import random
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import requests

from bench.production import Resident, Server, resident_pids
from servicetorg.submissions.actions import delete_orphan_files
from tests.durability.checks import (
    file_problems,
    integrity_problems,
    numbering_problems,
    receipt_problems,
)

pytestmark = pytest.mark.durability

CLIENTS = 32
KILLS = 4
RUN_SECONDS = 36
MUNICIPALITY = "molde"
# Three steps, two PDF fields (one taking several files): attachments are part of each submit.
SERVICE = "gravetillatelse"
# What a client sees while the server is down or dies under it.
DOWN = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


@dataclass
class Record:
    """What the clients saw: receipts per draft, answers sent, and anything unexpected."""

    receipts: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    expected: dict[str, dict] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def until_done(record: Record, deadline: float, call, *args):
    """Call again while the server is down; give up only when the run is long over."""
    while True:
        try:
            return call(*args)
        except DOWN:
            with record.lock:
                record.retries += 1
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def apply_continuously(resident: Resident, stop: threading.Event, record: Record) -> None:
    """Start, fill and submit applications until told to stop; keep every receipt."""
    deadline = time.monotonic() + RUN_SECONDS + 90
    try:
        while not stop.is_set():
            draft = until_done(record, deadline, resident.start, MUNICIPALITY, SERVICE)
            expected = until_done(record, deadline, resident.fill, draft)
            with record.lock:
                record.expected[draft] = expected
            receipt = until_done(record, deadline, resident.submit, draft)
            with record.lock:
                record.receipts[draft].add(receipt)
            # The receipt again: a submitted draft leads to the same receipt, never a second one.
            again = until_done(record, deadline, resident.submit, draft)
            with record.lock:
                record.receipts[draft].add(again)
    except Exception as error:  # anything but a server being down is a finding
        with record.lock:
            record.failures.append(f"{resident.pid}: {error!r}")


def crash_repeatedly(server: Server, rng: random.Random) -> list[float]:
    """Kill the whole server at a random moment in each slice of the run, then restart it."""
    kills = []
    begin = time.monotonic()
    slice_seconds = RUN_SECONDS / KILLS
    for index in range(KILLS):
        moment = begin + slice_seconds * index + rng.uniform(2.0, slice_seconds - 1.0)
        time.sleep(max(0.0, moment - time.monotonic()))
        server.kill()
        kills.append(round(time.monotonic() - begin, 2))
        time.sleep(rng.uniform(0.0, 1.0))
        server.start()
    return kills


def test_it_keeps_every_acknowledged_application_through_kills(
    make_server, server_var_dir, settings
):
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    server = make_server(workers=4).start()
    residents = [Resident(server.url, pid) for pid in resident_pids(CLIENTS)]
    # A login holds one worker while it asks TestID (the same server) on another: half each.
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(Resident.log_in, residents))
    record, stop = Record(), threading.Event()
    threads = [
        threading.Thread(target=apply_continuously, args=(r, stop, record), daemon=True)
        for r in residents
    ]
    for thread in threads:
        thread.start()
    kills = crash_repeatedly(server, rng)
    time.sleep(2.0)  # the last restart serves some applications too
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a client never finished"
    server.stop()
    # A kill between storing an upload and committing its row leaves the file alone; the
    # scheduled sweep removes such files (nothing is in flight now, so no grace is needed).
    files = {"location": server_var_dir / "files"}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": files},
    }
    swept = delete_orphan_files(grace=timedelta(0))

    context = (
        f"seed {seed}, kills at {kills} s, {len(record.receipts)} receipts, "
        f"{record.retries} retries, {swept} orphan uploads swept"
    )
    assert not record.failures, f"{context}: {record.failures[:5]}"
    assert len(kills) >= 3
    assert len(record.receipts) >= CLIENTS, f"{context}: too few applications got through"
    problems = receipt_problems(record.receipts, record.expected)
    problems += integrity_problems()
    problems += numbering_problems()
    problems += file_problems(server_var_dir / "files")
    assert not problems, f"{context}: {problems[:10]}"
    print(f"\n{context}")
