"""The time, in one place, so tests can move it (monkeypatch `clock.now`)."""

import time


def now() -> float:
    """Seconds since the epoch."""
    return time.time()
