import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from servicetorg.accounts.constants import Role
from servicetorg.accounts.demo import create_demo_staff
from servicetorg.accounts.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(molde, aukra, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    create_demo_staff(molde)
    create_demo_staff(aukra)
    return {u.username: u for u in get_user_model().objects.all()}


def as_user(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_it_lists_the_staff_of_the_municipality(client, staff):
    response = as_user(client, staff["admin.molde"]).get("/molde/ansatte/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "saksbehandler.molde" in body
    assert "saksbehandler.aukra" not in body


def test_it_adds_a_staff_member_as_caseworker(client, staff, molde):
    response = as_user(client, staff["admin.molde"]).post(
        "/molde/ansatte/",
        {
            "username": "ny.person",
            "first_name": "Ny",
            "last_name": "Person",
            "email": "ny@example.no",
        },
    )
    user = get_user_model().objects.get(username="ny.person@molde")
    assert response.status_code == 302
    assert not user.has_usable_password()
    assert list(Membership.objects.filter(user=user).values_list("role", "municipality__slug")) == [
        (Role.CASEWORKER, "molde")
    ]


def test_it_sets_roles_and_departments(client, staff, molde):
    person = staff["saksbehandler.molde"]
    response = as_user(client, staff["admin.molde"]).post(
        f"/molde/ansatte/{person.pk}/",
        {"roles": ["caseworker", "leader"], "departments": "Oppvekst, Teknisk drift"},
    )
    assert response.status_code == 302
    roles = dict(
        Membership.objects.filter(user=person, municipality=molde).values_list(
            "role", "departments"
        )
    )
    assert roles == {"caseworker": ["Oppvekst", "Teknisk drift"], "leader": []}


def test_it_keeps_the_admin_from_removing_their_own_admin_role(client, staff, molde):
    admin = staff["admin.molde"]
    response = as_user(client, admin).post(f"/molde/ansatte/{admin.pk}/", {"roles": ["caseworker"]})
    assert response.status_code == 200
    assert "cannot remove your own administrator role" in response.content.decode()
    assert Membership.objects.filter(user=admin, municipality=molde, role=Role.ADMIN).exists()


def test_it_refuses_other_roles(client, staff):
    for name in ("saksbehandler.molde", "leder.molde", "tjenesteeier.molde"):
        assert as_user(client, staff[name]).get("/molde/ansatte/").status_code == 404


def test_it_refuses_another_municipalitys_admin(client, staff):
    person = staff["saksbehandler.molde"]
    assert as_user(client, staff["admin.aukra"]).get("/molde/ansatte/").status_code == 404
    assert (
        as_user(client, staff["admin.aukra"]).get(f"/aukra/ansatte/{person.pk}/").status_code == 404
    )


def test_it_sends_a_visitor_to_the_staff_login(client, staff):
    response = client.get("/molde/ansatte/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ansatt/logg-inn/")


def add_member(client, username: str):
    data = {
        "username": username,
        "first_name": "Ny",
        "last_name": "Person",
        "email": "n@example.no",
    }
    return client.post("/molde/ansatte/", data)


def test_it_never_reveals_user_names_of_other_municipalities(client, staff, aukra):
    """Names live in each municipality's own name space: Aukra's names are never "taken"."""
    admin = as_user(client, staff["admin.molde"])
    get_user_model().objects.create_user("kari.hansen@aukra")
    get_user_model().objects.create_user("kari.hansen")
    assert add_member(admin, "kari.hansen").status_code == 302
    assert get_user_model().objects.filter(username="kari.hansen@molde").exists()
    # Someone else's name space cannot be typed at all; the answer is the format's.
    body = add_member(admin, "kari.hansen@aukra").content.decode()
    assert "taken" not in body and "already used" not in body
    assert "lower-case letters" in body


def test_it_says_when_a_name_is_used_in_the_own_municipality(client, staff):
    admin = as_user(client, staff["admin.molde"])
    add_member(admin, "per.olsen")
    body = add_member(admin, "per.olsen").content.decode()
    assert "That user name is already used in this municipality." in body
    assert get_user_model().objects.filter(username="per.olsen@molde").count() == 1
