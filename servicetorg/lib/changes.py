"""The catalog's generation: a number that goes up whenever the catalog or a municipality changes.

Workers keep what they read of the catalog and the municipalities in memory (public pages in
lib/pagecache.py, municipality rows in municipalities/queries.py) with the number they read it
under, and throw it away when the number changes. The number lives in the shared cache; a
worker reads it at most once every CHANGES_CHECK_SECONDS, so another worker's change reaches it
within that time, and a change in the worker itself at once (it reads the number again).
"""

import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

GENERATION_KEY = "catalog:generation"
CHANGING_APPS = ("catalog", "municipalities")


class Generation:
    def __init__(self) -> None:
        self.value = 0
        self.read_at = float("-inf")

    def current(self) -> int:
        now = time.monotonic()
        if now - self.read_at >= settings.CHANGES_CHECK_SECONDS:
            self.value = cache.get(GENERATION_KEY, 0)
            self.read_at = now
        return self.value

    def read_again(self) -> None:
        self.read_at = float("-inf")


generation = Generation()


def raise_generation() -> None:
    """Tell every worker that the catalog or a municipality changed."""
    if not cache.add(GENERATION_KEY, 1, timeout=None):
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # gone between the two calls
            cache.add(GENERATION_KEY, 1, timeout=None)
    generation.read_again()


def catalog_changed(**kwargs) -> None:
    # Now, for this transaction's own later reads; after the commit, for what other workers
    # read from the old rows in between.
    raise_generation()
    transaction.on_commit(raise_generation)


def watch_changes() -> None:
    """Connect the catalog's and the municipalities' models (called once, at start-up)."""
    for label in CHANGING_APPS:
        for model in apps.get_app_config(label).get_models():
            uid = f"changes-{model._meta.label}"
            post_save.connect(catalog_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(catalog_changed, sender=model, dispatch_uid=uid + "-delete")
