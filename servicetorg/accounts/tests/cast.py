"""Staff members for tests: a user with one role in one municipality, and a logged-in client."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from servicetorg.accounts.models import Membership


def staff(municipality, username: str, role: str, departments: list[str] | None = None):
    first, last = username.capitalize(), "Testesen"
    user = get_user_model().objects.create_user(
        username=username, password="unused-in-tests", first_name=first, last_name=last
    )
    Membership.objects.create(
        user=user, municipality=municipality, role=role, departments=departments or []
    )
    return user


def staff_client(user) -> Client:
    """A client logged in as the user, reading the pages in English."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
