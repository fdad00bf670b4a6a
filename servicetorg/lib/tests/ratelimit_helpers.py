"""Shared by the rate-limit tests: small limits, and a clock that moves past the window."""

import time
from types import SimpleNamespace

import django_ratelimit.core


def set_limits(settings, family: str, ip: str = "1000/h", person: str = "1000/h") -> None:
    settings.RATELIMITS = {**settings.RATELIMITS, family: {"ip": ip, "person": person}}


def travel(monkeypatch, seconds: int) -> None:
    """Move the limiter's clock (only the limiter's) forward."""
    real = time.time
    monkeypatch.setattr(
        django_ratelimit.core, "time", SimpleNamespace(time=lambda: real() + seconds)
    )


def assert_limited(response, within: int) -> None:
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= within
    assert "Try again at" in response.content.decode()
