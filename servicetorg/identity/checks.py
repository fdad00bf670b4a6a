"""`manage.py check`: is the login configured well enough to work?"""

from pathlib import Path

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def login_configuration(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    problems = []
    if not settings.IDPORTEN_ISSUER and not settings.TESTID_ENABLED:
        problems.append("The residents' login needs IDPORTEN_ISSUER (or TestID in the demo)")
    if settings.IDPORTEN_ISSUER and not settings.DEMO:
        if not settings.IDPORTEN_ISSUER.startswith("https://"):
            problems.append("IDPORTEN_ISSUER must be an https:// address")
    if not settings.IDPORTEN_CLIENT_ID:
        problems.append("IDPORTEN_CLIENT_ID is not set")
    problems += client_auth_problems()
    return [Error(text, id=f"identity.E00{n}") for n, text in enumerate(problems, start=1)]


def client_auth_problems() -> list[str]:
    if settings.IDPORTEN_CLIENT_AUTH != "private_key_jwt":
        return [] if settings.IDPORTEN_CLIENT_SECRET else ["IDPORTEN_CLIENT_SECRET is not set"]
    path = settings.IDPORTEN_PRIVATE_KEY_PATH
    if not path or not Path(path).is_file():
        return ["IDPORTEN_PRIVATE_KEY_PATH must name a PEM or JWK file for private_key_jwt"]
    return []
