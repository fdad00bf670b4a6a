"""Days to appeal a decision: a setting per municipality, edited in the admin."""

import pytest
from django.contrib.auth import get_user_model

from servicetorg.accounts.oidc import MODEL_BACKEND
from servicetorg.municipalities.actions import add_municipality
from servicetorg.municipalities.models import Municipality

pytestmark = pytest.mark.django_db


def test_it_starts_from_the_installations_setting(settings):
    settings.APPEAL_DAYS = 30
    hustadvika = add_municipality(number="1579", name="Hustadvika", slug="hustadvika")
    assert hustadvika.appeal_days == 30


def test_an_administrator_changes_it_in_the_admin(client, molde, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    root = get_user_model().objects.create_superuser("root", "root@example.no", "x")
    client.force_login(root, backend=MODEL_BACKEND)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = f"/admin/municipalities/municipality/{molde.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="appeal_days"' in page and 'value="21"' in page
    form = {
        "number": molde.number,
        "name": molde.name,
        "slug": molde.slug,
        "host": "",
        "default_language": "nb",
        "accent_color": molde.accent_color,
        "population": 0,
        "predecessors": "",
        "active": "on",
        "appeal_days": "28",
    }
    assert client.post(url, form).status_code == 302
    assert Municipality.objects.get(pk=molde.pk).appeal_days == 28
    refused = client.post(url, {**form, "appeal_days": "0"})
    assert refused.status_code == 200
    assert Municipality.objects.get(pk=molde.pk).appeal_days == 28
