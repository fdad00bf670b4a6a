"""Browser fixtures: one Chromium per session, a live server per test, a context per test.

Static files come from WhiteNoise (compressed, from STATIC_ROOT, filled by `make static`)
exactly as in production, not from Django's StaticFilesHandler: page weight is measured as
the browser receives it.
"""

import io
import os

# Playwright's sync API runs an event loop in this thread; Django refuses database calls
# from a thread with a running loop unless told otherwise.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.testcases import LiveServerThread  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _no_static_handler(handler):
    """LiveServerThread's static_handler hook: serve nothing itself, leave it to WhiteNoise."""
    return handler


@pytest.fixture
def site(transactional_db):
    """The demo installation on a live server; returns its base URL (no trailing slash)."""
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if not manifest.exists():
        pytest.fail(f"{manifest} is missing: run `make static` first")
    call_command("load_demo", history=False, stdout=io.StringIO())
    thread = LiveServerThread("127.0.0.1", _no_static_handler, connections_override={})
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        thread.terminate()
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


@pytest.fixture
def new_context(chromium, site):
    """Make a browser context on the live site; every context is closed after the test."""
    contexts = []

    def make(language: str | None = None, **options):
        """`language` sets the person's language choice (the cookie the language buttons set)."""
        options = {"base_url": site, "bypass_csp": True, "locale": "nb-NO", **options}
        context = chromium.new_context(**options)
        context.set_default_timeout(10_000)
        if language:
            cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site}
            context.add_cookies([cookie])
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
