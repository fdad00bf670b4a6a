from django.conf import settings
from django.http import HttpRequest


def municipality(request: HttpRequest) -> dict:
    # Language names stay in their own language, whatever language the page is in.
    return {
        "municipality": getattr(request, "municipality", None),
        "language_choices": settings.LANGUAGES,
    }
