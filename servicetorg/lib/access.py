"""Refusals of access: the same 404 for missing and not-yours, and always a log line."""

import logging
import uuid

from django.http import Http404

log = logging.getLogger("servicetorg.security")


def refused(kind: str) -> Http404:
    """Log a refused lookup (without the id, which may be personal) and return the 404."""
    log.warning("access refused kind=%s", kind)
    return Http404("Not found")


def parse_uuid(value: str, kind: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise refused(kind) from None
