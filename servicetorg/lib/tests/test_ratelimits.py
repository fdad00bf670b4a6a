"""The limiter itself: counts per address and per person, resets, and the address behind a proxy."""

import uuid

import pytest
import redis
from django.core.cache import caches
from django.test import RequestFactory

from servicetorg.lib.ratelimits import client_ip, hit
from servicetorg.lib.tests.ratelimit_helpers import set_limits, travel

pytestmark = pytest.mark.django_db


def request_from(ip: str, **meta):
    return RequestFactory().post("/", REMOTE_ADDR=ip, **meta)


def test_it_uses_the_database_cache_in_tests():
    from django.core.cache.backends.db import DatabaseCache

    assert isinstance(caches["default"], DatabaseCache)


def test_it_limits_per_address_and_resets_after_the_window(settings, monkeypatch):
    set_limits(settings, "submit", ip="2/m")
    assert hit(request_from("10.0.0.1"), "submit", "test") is None
    assert hit(request_from("10.0.0.1"), "submit", "test") is None
    limited = hit(request_from("10.0.0.1"), "submit", "test")
    assert limited is not None and 1 <= limited.retry_after <= 60
    assert hit(request_from("10.0.0.2"), "submit", "test") is None
    travel(monkeypatch, 61)
    assert hit(request_from("10.0.0.1"), "submit", "test") is None


def test_it_limits_per_person_from_any_address(settings):
    set_limits(settings, "message", person="1/h")
    assert hit(request_from("10.0.0.1"), "message", "test", person="staff:1") is None
    assert hit(request_from("10.0.0.2"), "message", "test", person="staff:1") is not None
    assert hit(request_from("10.0.0.3"), "message", "test", person="staff:2") is None


def test_it_logs_the_limit_without_the_address(settings, caplog):
    set_limits(settings, "login", ip="1/m")
    hit(request_from("10.9.8.7"), "login", "test")
    hit(request_from("10.9.8.7"), "login", "test")
    line = next(r.getMessage() for r in caplog.records if r.name == "servicetorg.ratelimits")
    assert "family=login endpoint=test per=ip" in line
    assert "10.9.8.7" not in line


def test_it_takes_the_address_the_proxy_added(settings):
    settings.RATELIMIT_IP_HEADER = "X-Forwarded-For"
    request = request_from("10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7")
    assert client_ip(request) == "192.0.2.7"
    settings.RATELIMIT_IP_HEADER = ""
    assert client_ip(request) == "10.0.0.1"


def test_it_counts_in_redis_when_configured(settings):
    """The same limiter on Redis, the cache for installations with several app servers."""
    location = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(location, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # runs never share counts
        }
    }
    set_limits(settings, "upload", ip="1/m")
    assert hit(request_from("10.0.0.1"), "upload", "test") is None
    assert hit(request_from("10.0.0.1"), "upload", "test") is not None
