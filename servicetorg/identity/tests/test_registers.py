"""The person and contact registers: local ones over the demo population, national ones
against a local HTTP server that plays back recorded answers (tests/recorded/).

- PARENT: Ingrid Hustad Remme, two children under 18 and one adult child
- PARTNER: Ola Remme, protected address, reserved against digital post
- NEWCOMER: Piotr Nowak, D-number, farm address, contact details too old to use
- NOT_IN_KRR: Ingrid's mother, in no recorded answer but KRR's "not registered"
"""

import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured

from servicetorg.identity.population import REFERENCE_DATE, Address, ContactInfo, demo_population
from servicetorg.identity.registers import (
    FolkeregisteretPersonRegister,
    KrrContactRegister,
    LocalContactRegister,
    LocalPersonRegister,
    RegisterUnavailable,
    contact_register,
    person_register,
)

RECORDED = Path(__file__).parent / "recorded"
FREG_ROOT = "/folkeregisteret/offentlig-med-hjemmel/api/v1"
TOKEN = "test-maskinporten-token"
TODAY = date(2026, 11, 26)

PARENT = "17858810086"
PARTNER = "02918620381"
NEWCOMER = "52849130102"
NOT_IN_KRR = "20817040137"
UNKNOWN = "03837541041"  # valid synthetic, in no recorded answer
FAILING = "01010012345"  # the test server answers 500
SLOW = "02020012345"  # the test server answers after the client's timeout
MOVED = "03030012345"  # the test server redirects


def token() -> str:
    return TOKEN


# Local registers


def a_family() -> tuple[str, set[str], str]:
    """A parent's pid, the pids of the household's children, and another household's child."""
    population = demo_population()
    for members in population.by_household.values():
        children = {m.pid for m in members if m.is_child}
        if children:
            parent = next(m.pid for m in members if not m.is_child)
            other = next(p.pid for p in population.people if p.is_child and p.pid not in children)
            return parent, children, other
    raise AssertionError("the demo population has no family")


def test_it_answers_name_address_and_birth_date_locally() -> None:
    parent, _, _ = a_family()
    person = demo_population().by_pid[parent]
    record = LocalPersonRegister(clock=lambda: REFERENCE_DATE).person(parent)
    assert record is not None
    assert (record.pid, record.name, record.given_name) == (parent, person.name, person.given_name)
    assert record.family_name == person.family_name
    assert record.birth_date == person.birth_date
    assert record.address == person.address


def test_it_answers_the_children_in_the_household_only() -> None:
    parent, children, other = a_family()
    record = LocalPersonRegister(clock=lambda: REFERENCE_DATE).person(parent)
    assert record is not None
    assert {child.pid for child in record.children} == children
    assert parent not in {child.pid for child in record.children}
    assert other not in {child.pid for child in record.children}
    household = demo_population().by_pid[parent].household_id
    for child in record.children:
        assert demo_population().by_pid[child.pid].household_id == household


def test_it_gives_a_child_no_children_of_its_own() -> None:
    _, children, _ = a_family()
    register = LocalPersonRegister(clock=lambda: REFERENCE_DATE)
    for pid in children:
        record = register.person(pid)
        assert record is not None and record.children == []


def test_it_limits_children_by_age() -> None:
    register = LocalPersonRegister(clock=lambda: REFERENCE_DATE)
    for person in demo_population().people:
        for child in register.children_under(person.pid, age=6):
            assert (REFERENCE_DATE - child.birth_date).days < 6 * 366
    ages_later = LocalPersonRegister(clock=lambda: date(2060, 1, 1))
    assert all(ages_later.children_under(p.pid) == [] for p in demo_population().people)


def test_it_answers_contact_details_locally() -> None:
    population = demo_population()
    pid, expected = next(iter(population.contacts.items()))
    assert LocalContactRegister().contact(pid) == expected
    child = next(p for p in population.people if p.is_child and p.pid not in population.contacts)
    assert LocalContactRegister().contact(child.pid) is None


def test_it_answers_none_for_an_unknown_person_locally() -> None:
    assert LocalPersonRegister().person(UNKNOWN) is None
    assert LocalPersonRegister().children_under(UNKNOWN) == []
    assert LocalContactRegister().contact(UNKNOWN) is None


# A local HTTP server playing back the recorded answers


class RecordedRegisters(BaseHTTPRequestHandler):
    """Folkeregisteret's GET .../personer/{pid} and KRR's POST /rest/v1/personer."""

    def do_GET(self) -> None:
        self.server.seen.append((self.command, self.path, dict(self.headers)))
        path = urlsplit(self.path).path
        if not path.startswith(f"{FREG_ROOT}/personer/"):
            return self.answer(404, {"kode": "FREG-404", "melding": "Ukjent ressurs"})
        self.play_back("folkeregisteret", path.rsplit("/", 1)[-1])

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.seen.append((self.command, self.path, dict(self.headers), body))
        if self.path != "/rest/v1/personer":
            return self.answer(404, {"message": "Not Found"})
        self.play_back("krr", body["personidentifikatorer"][0])

    def play_back(self, register: str, pid: str) -> None:
        if pid == FAILING:
            return self.answer(500, {"kode": "FREG-001", "melding": "Feil i tjenesten."})
        if pid == SLOW:
            time.sleep(0.5)
        if pid == MOVED:
            self.send_response(302)
            self.send_header("Location", "/elsewhere")
            self.end_headers()
            return None
        recorded = RECORDED / register / f"{pid}.json"
        if not recorded.exists():
            return self.answer(404, {"kode": "FREG-002", "melding": "Fant ikke person"})
        self.answer(200, json.loads(recorded.read_text()))

    def answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), RecordedRegisters)
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def seen(server: ThreadingHTTPServer) -> list:
    server.seen.clear()
    return server.seen


def host(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def folkeregisteret(
    server: ThreadingHTTPServer, timeout: float = 2.0
) -> FolkeregisteretPersonRegister:
    url = host(server) + FREG_ROOT
    return FolkeregisteretPersonRegister(url, token, timeout=timeout, clock=lambda: TODAY)


def krr(server: ThreadingHTTPServer) -> KrrContactRegister:
    return KrrContactRegister(host(server), token)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Folkeregisteret


def test_it_reads_a_person_from_folkeregisteret(server: ThreadingHTTPServer, seen: list) -> None:
    record = folkeregisteret(server).person(PARENT)
    assert record is not None
    assert (record.given_name, record.family_name) == ("Ingrid", "Remme")
    assert record.name == "Ingrid Hustad Remme"
    assert record.birth_date == date(1988, 5, 17)
    assert record.address == Address("Storgata 5B", "6413", "Molde", "1506")


def test_it_reads_the_children_under_18_from_folkeregisteret(
    server: ThreadingHTTPServer, seen: list
) -> None:
    record = folkeregisteret(server).person(PARENT)
    assert record is not None
    assert [(c.pid, c.name, c.birth_date) for c in record.children] == [
        ("03892150175", "Emil Remme", date(2021, 9, 3)),
        ("11821352071", "Sofie Hustad Remme", date(2013, 2, 11)),
    ]
    asked = [request[1] for request in seen]
    assert f"{FREG_ROOT}/personer/{PARENT}?part=person-basis&part=relasjon-utvidet" in asked
    assert f"{FREG_ROOT}/personer/03892150175?part=navn&part=foedsel" in asked
    assert not any(NOT_IN_KRR in path for path in asked)  # the mother is no child


def test_it_limits_folkeregisteret_children_by_age(server: ThreadingHTTPServer) -> None:
    children = folkeregisteret(server).children_under(PARENT, age=6)
    assert [child.pid for child in children] == ["03892150175"]


def test_it_skips_relations_no_longer_in_force(server: ThreadingHTTPServer) -> None:
    children = folkeregisteret(server).children_under(PARTNER)
    assert [child.pid for child in children] == ["03892150175"]


def test_it_withholds_a_protected_address(server: ThreadingHTTPServer) -> None:
    record = folkeregisteret(server).person(PARTNER)
    assert record is not None and record.name == "Ola Remme"
    assert record.address == Address("", "", "", "")


def test_it_reads_a_d_number_with_a_farm_address(server: ThreadingHTTPServer) -> None:
    record = folkeregisteret(server).person(NEWCOMER)
    assert record is not None and record.name == "Piotr Nowak"
    assert record.birth_date == date(1991, 4, 12)
    assert record.address == Address("Gossen", "6480", "Aukra", "1547")
    assert record.children == []


def test_it_sends_the_maskinporten_token(server: ThreadingHTTPServer, seen: list) -> None:
    folkeregisteret(server).person(PARENT)
    krr(server).contact(PARENT)
    assert seen and all(request[2]["Authorization"] == f"Bearer {TOKEN}" for request in seen)


def test_it_answers_none_when_folkeregisteret_has_no_such_person(
    server: ThreadingHTTPServer,
) -> None:
    assert folkeregisteret(server).person(UNKNOWN) is None
    assert folkeregisteret(server).children_under(UNKNOWN) == []


def test_it_never_asks_folkeregisteret_about_a_malformed_number(
    server: ThreadingHTTPServer, seen: list
) -> None:
    assert folkeregisteret(server).person("../personer") is None
    assert seen == []


def test_it_raises_when_folkeregisteret_fails(server: ThreadingHTTPServer) -> None:
    with pytest.raises(RegisterUnavailable):
        folkeregisteret(server).person(FAILING)


def test_it_raises_when_folkeregisteret_is_slow(server: ThreadingHTTPServer) -> None:
    with pytest.raises(RegisterUnavailable):
        folkeregisteret(server, timeout=0.1).person(SLOW)


def test_it_raises_when_folkeregisteret_redirects(server: ThreadingHTTPServer, seen: list) -> None:
    with pytest.raises(RegisterUnavailable):
        folkeregisteret(server).person(MOVED)
    assert [request[1] for request in seen if "elsewhere" in request[1]] == []


def test_it_raises_when_folkeregisteret_cannot_be_reached() -> None:
    register = FolkeregisteretPersonRegister(f"http://127.0.0.1:{closed_port()}", token)
    with pytest.raises(RegisterUnavailable):
        register.person(PARENT)


def test_it_raises_when_there_is_no_token(server: ThreadingHTTPServer) -> None:
    def no_token() -> str:
        raise OSError("Maskinporten did not answer")

    with pytest.raises(RegisterUnavailable):
        FolkeregisteretPersonRegister(host(server) + FREG_ROOT, no_token).person(PARENT)


# KRR


def test_it_reads_contact_details_from_krr(server: ThreadingHTTPServer, seen: list) -> None:
    info = krr(server).contact(PARENT)
    assert info == ContactInfo("ingrid.remme@example.no", "41234567", reserved=False)
    method, path, headers, body = seen[0]
    assert (method, path, body) == (
        "POST",
        "/rest/v1/personer",
        {"personidentifikatorer": [PARENT]},
    )
    assert headers["Content-Type"] == "application/json"


def test_it_reads_a_reservation_from_krr(server: ThreadingHTTPServer) -> None:
    info = krr(server).contact(PARTNER)
    assert info == ContactInfo("ola.remme@example.no", "98765432", reserved=True)


def test_it_drops_contact_details_krr_says_not_to_use(server: ThreadingHTTPServer) -> None:
    assert krr(server).contact(NEWCOMER) == ContactInfo(None, None, reserved=False)


def test_it_answers_none_for_a_person_not_in_krr(server: ThreadingHTTPServer) -> None:
    assert krr(server).contact(NOT_IN_KRR) is None


def test_it_answers_none_when_krr_answers_404(server: ThreadingHTTPServer) -> None:
    assert krr(server).contact(UNKNOWN) is None
    assert KrrContactRegister(host(server) + "/wrong", token).contact(PARENT) is None


def test_it_raises_when_krr_fails(server: ThreadingHTTPServer) -> None:
    with pytest.raises(RegisterUnavailable):
        krr(server).contact(FAILING)


def test_it_raises_when_krr_cannot_be_reached() -> None:
    with pytest.raises(RegisterUnavailable):
        KrrContactRegister(f"http://127.0.0.1:{closed_port()}", token).contact(PARENT)


# Choosing by settings


def test_it_uses_the_local_registers_by_default() -> None:
    assert isinstance(person_register(), LocalPersonRegister)
    assert isinstance(contact_register(), LocalContactRegister)


def test_it_uses_the_national_registers_when_configured(settings: Any) -> None:
    settings.PERSON_REGISTER = "folkeregisteret"
    settings.FOLKEREGISTERET_URL = "https://freg.example.no/api/v1"
    settings.FOLKEREGISTERET_TOKEN_PROVIDER = f"{__name__}.token"
    settings.CONTACT_REGISTER = "krr"
    settings.KRR_URL = "https://krr.example.no"
    settings.KRR_TOKEN_PROVIDER = token
    assert isinstance(person_register(), FolkeregisteretPersonRegister)
    assert isinstance(contact_register(), KrrContactRegister)


def test_it_refuses_an_incomplete_configuration(settings: Any) -> None:
    settings.PERSON_REGISTER = "folkeregisteret"
    settings.CONTACT_REGISTER = "altinn"
    with pytest.raises(ImproperlyConfigured):
        person_register()
    with pytest.raises(ImproperlyConfigured):
        contact_register()
