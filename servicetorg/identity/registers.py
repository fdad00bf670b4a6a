"""The national registers the platform asks instead of the resident ("Once only", PRODUCT.md).

`PersonRegister` answers what Folkeregisteret answers (name, address, date of birth, the
children in the household); `ContactRegister` answers what Kontakt- og reservasjonsregisteret
(KRR) answers (e-mail, mobile, reservation against digital post). The demo and tests use the
local registers over the synthetic population; `person_register()` and `contact_register()`
choose the national APIs, reached with a Maskinporten token, when the settings say so.

Settings (read with defaults): PERSON_REGISTER "local" | "folkeregisteret", with
FOLKEREGISTERET_URL and FOLKEREGISTERET_TOKEN_PROVIDER; CONTACT_REGISTER "local" | "krr", with
KRR_URL and KRR_TOKEN_PROVIDER. A token provider is a dotted path to (or a) callable that
returns a Maskinporten access token for that register's scope.
"""

import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from servicetorg.identity.population import (
    Address,
    ContactInfo,
    Person,
    Population,
    age_on,
    demo_population,
)
from servicetorg.lib import idnumbers

ADULT_AGE = 18
TIMEOUT_SECONDS = 2.0
NO_ADDRESS = Address(street="", postal_code="", place="", municipality_number="")

Clock = Callable[[], date]
TokenProvider = Callable[[], str]
JsonObject = dict[str, Any]


class RegisterUnavailable(Exception):
    """A register did not answer: network error, timeout, server error or unusable answer."""


@dataclass(frozen=True)
class ChildRecord:
    pid: str
    name: str
    birth_date: date


@dataclass(frozen=True)
class PersonRecord:
    pid: str
    given_name: str
    family_name: str
    name: str
    birth_date: date
    address: Address
    children: list[ChildRecord]  # under 18, registered as the person's children


class PersonRegister(Protocol):
    def person(self, pid: str) -> PersonRecord | None: ...

    def children_under(self, pid: str, age: int = ADULT_AGE) -> list[ChildRecord]: ...


class ContactRegister(Protocol):
    def contact(self, pid: str) -> ContactInfo | None: ...


# Local registers over the synthetic population


class LocalPersonRegister:
    """Folkeregisteret's answers from the synthetic demo population."""

    def __init__(self, population: Population | None = None, clock: Clock = date.today) -> None:
        self._population = demo_population() if population is None else population
        self._clock = clock

    def person(self, pid: str) -> PersonRecord | None:
        found = self._population.by_pid.get(pid)
        if found is None:
            return None
        return PersonRecord(
            pid=found.pid,
            given_name=found.given_name,
            family_name=found.family_name,
            name=found.name,
            birth_date=found.birth_date,
            address=found.address,
            children=self.children_under(pid),
        )

    def children_under(self, pid: str, age: int = ADULT_AGE) -> list[ChildRecord]:
        """The household's children younger than `age`; a child has no children of its own."""
        found = self._population.by_pid.get(pid)
        if found is None or found.is_child:
            return []
        today = self._clock()
        members = self._population.by_household[found.household_id]
        return [
            _child_record(member)
            for member in members
            if member.is_child and member.pid != pid and age_on(member.birth_date, today) < age
        ]


def _child_record(person: Person) -> ChildRecord:
    return ChildRecord(pid=person.pid, name=person.name, birth_date=person.birth_date)


class LocalContactRegister:
    """KRR's answers from the synthetic demo population."""

    def __init__(self, population: Population | None = None) -> None:
        self._population = demo_population() if population is None else population

    def contact(self, pid: str) -> ContactInfo | None:
        return self._population.contacts.get(pid)


# HTTP for the national APIs: the standard library only, no new dependency


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: the bearer token must never follow one to another host."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _JsonClient:
    """JSON over HTTP with a Maskinporten bearer token and a short timeout."""

    def __init__(
        self,
        base_url: str,
        token_provider: TokenProvider,
        session: urllib.request.OpenerDirector | None,
        timeout: float,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token_provider = token_provider
        self._session = session or urllib.request.build_opener(_NoRedirect)
        self._timeout = timeout

    def get(self, path: str) -> JsonObject | None:
        return self._send(urllib.request.Request(self.base_url + path, headers=self._headers()))

    def post(self, path: str, body: JsonObject) -> JsonObject | None:
        headers = {**self._headers(), "Content-Type": "application/json"}
        data = json.dumps(body).encode()
        url = self.base_url + path
        return self._send(urllib.request.Request(url, data, headers, method="POST"))

    def _headers(self) -> dict[str, str]:
        try:
            token = self._token_provider()
        except Exception as err:  # without a token the register cannot be asked at all
            raise RegisterUnavailable(f"no access token for {self.base_url}") from err
        return {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    def _send(self, request: urllib.request.Request) -> JsonObject | None:
        """The answer as a JSON object; None for 404 or an empty body."""
        # Messages name the register, never the URL: it holds an identity number.
        try:
            with self._session.open(request, timeout=self._timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as err:
            err.close()
            if err.code == 404:
                return None
            raise RegisterUnavailable(f"{self.base_url} answered {err.code}") from err
        except (OSError, http.client.HTTPException) as err:  # refused, reset, timed out
            raise RegisterUnavailable(f"{self.base_url} did not answer") from err
        return _json_object(body, self.base_url)


def _json_object(body: bytes, source: str) -> JsonObject | None:
    if not body.strip():
        return None
    try:
        answer = json.loads(body)
    except ValueError as err:
        raise RegisterUnavailable(f"{source} answered something that is not JSON") from err
    if not isinstance(answer, dict):
        raise RegisterUnavailable(f"{source} answered JSON that is not an object")
    return answer


def _is_pid(pid: str) -> bool:
    """Eleven ASCII digits: the only thing ever put into a register's URL or body."""
    return len(pid) == 11 and pid.isascii() and pid.isdigit()


# Folkeregisteret (Skatteetaten), lookup API "offentlig-med-hjemmel"

FREG_PERSON_PARTS = "part=person-basis&part=relasjon-utvidet"
FREG_RELATION_PARTS = "part=relasjon-utvidet"
FREG_CHILD_PARTS = "part=navn&part=foedsel"  # data minimisation: only what a child record needs


class FolkeregisteretPersonRegister:
    """Folkeregisteret's lookup API: GET {base_url}/personer/{pid}?part=...

    base_url is the API root with the rights package and version, e.g.
    https://folkeregisteret.api.skatteetaten.no/folkeregisteret/offentlig-med-hjemmel/api/v1
    Children come from `familierelasjon` (role "barn"); each needs one more lookup for the
    name and date of birth.
    """

    def __init__(
        self,
        base_url: str,
        token_provider: TokenProvider,
        session: urllib.request.OpenerDirector | None = None,
        *,
        timeout: float = TIMEOUT_SECONDS,
        clock: Clock = date.today,
    ) -> None:
        self._client = _JsonClient(base_url, token_provider, session, timeout)
        self._clock = clock

    def person(self, pid: str) -> PersonRecord | None:
        document = self._document(pid, FREG_PERSON_PARTS)
        if document is None:
            return None
        given_name, family_name, name = _freg_names(document, self._client.base_url)
        return PersonRecord(
            pid=pid,
            given_name=given_name,
            family_name=family_name,
            name=name,
            birth_date=_freg_birth_date(document, pid, self._client.base_url),
            address=_freg_address(document),
            children=self._children(document, ADULT_AGE),
        )

    def children_under(self, pid: str, age: int = ADULT_AGE) -> list[ChildRecord]:
        document = self._document(pid, FREG_RELATION_PARTS)
        return [] if document is None else self._children(document, age)

    def _document(self, pid: str, parts: str) -> JsonObject | None:
        return self._client.get(f"/personer/{pid}?{parts}") if _is_pid(pid) else None

    def _children(self, document: JsonObject, age: int) -> list[ChildRecord]:
        today = self._clock()
        children = (self._child(pid) for pid in _freg_child_pids(document))
        return [c for c in children if c is not None and age_on(c.birth_date, today) < age]

    def _child(self, pid: str) -> ChildRecord | None:
        document = self._document(pid, FREG_CHILD_PARTS)
        if document is None:
            return None
        _, _, name = _freg_names(document, self._client.base_url)
        return ChildRecord(pid, name, _freg_birth_date(document, pid, self._client.base_url))


def _current(document: JsonObject, key: str) -> JsonObject | None:
    """The entry in force (erGjeldende) of one of the person document's lists."""
    entries = document.get(key) or []
    return next((e for e in entries if isinstance(e, dict) and e.get("erGjeldende", True)), None)


def _display(text: str) -> str:
    """Register text often comes in capitals ("ÅNDALSNES"); show it as a name is written."""
    return text.title() if text.isupper() else text


def _freg_names(document: JsonObject, source: str) -> tuple[str, str, str]:
    """Given name, family name and the full name with any middle name."""
    entry = _current(document, "navn") or {}
    given, family = entry.get("fornavn"), entry.get("etternavn")
    if not given or not family:
        raise RegisterUnavailable(f"{source} answered a person without a name")
    parts = [given, entry.get("mellomnavn"), family]
    return _display(given), _display(family), " ".join(_display(p) for p in parts if p)


def _freg_birth_date(document: JsonObject, pid: str, source: str) -> date:
    """`foedsel.foedselsdato`, else the date the identity number carries."""
    found = (_current(document, "foedsel") or {}).get("foedselsdato")
    try:
        born = date.fromisoformat(found) if found else idnumbers.birth_date(pid)
    except (TypeError, ValueError) as err:
        raise RegisterUnavailable(f"{source} answered an unreadable date of birth") from err
    if born is None:
        raise RegisterUnavailable(f"{source} answered a person without a date of birth")
    return born


def _freg_address(document: JsonObject) -> Address:
    """The current home address; none when it is protected (adressegradering) or unknown."""
    entry = _current(document, "bostedsadresse")
    if entry is None or entry.get("adressegradering", "ugradert") != "ugradert":
        return NO_ADDRESS
    if road := entry.get("vegadresse"):
        return _freg_road_address(road)
    if cadastral := entry.get("matrikkeladresse"):
        return _freg_cadastral_address(cadastral)
    return NO_ADDRESS


def _freg_post(address: JsonObject) -> tuple[str, str]:
    post = address.get("poststed") or {}
    return post.get("postnummer") or "", _display(post.get("poststedsnavn") or "")


def _freg_road_address(road: JsonObject) -> Address:
    """vegadresse: street name, house number and letter (adressenummer), post office."""
    number = road.get("adressenummer") or {}
    house = f"{number.get('husnummer') or ''}{number.get('husbokstav') or ''}"
    street = " ".join(p for p in [road.get("adressenavn") or "", house] if p)
    postal_code, place = _freg_post(road)
    return Address(street, postal_code, place, road.get("kommunenummer") or "")


def _freg_cadastral_address(cadastral: JsonObject) -> Address:
    """matrikkeladresse: no street; the farm name (adressetilleggsnavn) when there is one."""
    postal_code, place = _freg_post(cadastral)
    municipality = (cadastral.get("matrikkelnummer") or {}).get("kommunenummer") or ""
    return Address(cadastral.get("adressetilleggsnavn") or "", postal_code, place, municipality)


def _freg_child_pids(document: JsonObject) -> list[str]:
    """Identity numbers in force with the role "barn" in `familierelasjon`."""
    return [
        entry["relatertPerson"]
        for entry in document.get("familierelasjon") or []
        if isinstance(entry, dict)
        and entry.get("erGjeldende", True)
        and entry.get("relatertPersonsRolle") == "barn"
        and _is_pid(str(entry.get("relatertPerson", "")))
    ]


# Kontakt- og reservasjonsregisteret (Digdir), Oppslagstjenesten REST

KRR_PERSONS_PATH = "/rest/v1/personer"


class KrrContactRegister:
    """KRR's lookup: POST {base_url}/rest/v1/personer {"personidentifikatorer": [pid]}.

    base_url is the host, e.g. https://krr.digdir.no; the Maskinporten token needs the scope
    krr:global/kontaktinformasjon.read for e-mail and mobile (reservation always comes).
    """

    def __init__(
        self,
        base_url: str,
        token_provider: TokenProvider,
        session: urllib.request.OpenerDirector | None = None,
        *,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self._client = _JsonClient(base_url, token_provider, session, timeout)

    def contact(self, pid: str) -> ContactInfo | None:
        """None unless the person is in the register (status AKTIV)."""
        if not _is_pid(pid):
            return None
        answer = self._client.post(KRR_PERSONS_PATH, {"personidentifikatorer": [pid]})
        entry = _krr_entry(answer or {}, pid)
        if entry is None or entry.get("status") != "AKTIV":
            return None
        return _krr_contact(entry)


def _krr_entry(answer: JsonObject, pid: str) -> JsonObject | None:
    people = answer.get("personer") or []
    matches = (p for p in people if isinstance(p, dict) and p.get("personidentifikator") == pid)
    return next(matches, None)


def _krr_contact(entry: JsonObject) -> ContactInfo:
    """Contact details not confirmed for 18 months (KAN_IKKE_VARSLES) must not be used."""
    details = entry.get("kontaktinformasjon") or {}
    usable = entry.get("varslingsstatus") != "KAN_IKKE_VARSLES"
    return ContactInfo(
        email=(details.get("epostadresse") or None) if usable else None,
        mobile=(details.get("mobiltelefonnummer") or None) if usable else None,
        reserved=entry.get("reservasjon") == "JA",
    )


# Choosing by settings


def person_register() -> PersonRegister:
    """The person register the settings choose (PERSON_REGISTER, default "local")."""
    kind = getattr(settings, "PERSON_REGISTER", "local")
    if kind == "local":
        return LocalPersonRegister()
    if kind == "folkeregisteret":
        url = _required_setting("FOLKEREGISTERET_URL")
        return FolkeregisteretPersonRegister(url, _token_provider("FOLKEREGISTERET"))
    raise ImproperlyConfigured(f"PERSON_REGISTER is 'local' or 'folkeregisteret', not {kind!r}")


def contact_register() -> ContactRegister:
    """The contact register the settings choose (CONTACT_REGISTER, default "local")."""
    kind = getattr(settings, "CONTACT_REGISTER", "local")
    if kind == "local":
        return LocalContactRegister()
    if kind == "krr":
        return KrrContactRegister(_required_setting("KRR_URL"), _token_provider("KRR"))
    raise ImproperlyConfigured(f"CONTACT_REGISTER is 'local' or 'krr', not {kind!r}")


def _required_setting(name: str) -> Any:
    value = getattr(settings, name, None)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set")
    return value


def _token_provider(register: str) -> TokenProvider:
    """<REGISTER>_TOKEN_PROVIDER: a callable, or the dotted path of one."""
    provider = _required_setting(f"{register}_TOKEN_PROVIDER")
    return import_string(provider) if isinstance(provider, str) else provider
