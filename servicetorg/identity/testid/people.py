"""The people TestID offers on its login page: synthetic residents, or the demo staff."""

from functools import cache

from servicetorg.accounts.demo import DemoStaffMember, list_demo_staff
from servicetorg.identity.demo import demo_people
from servicetorg.identity.population import demo_population
from servicetorg.identity.residents import Resident


@cache
def testid_people() -> list[Resident]:
    """The demo people first (the ones the README names), then every adult, then children."""
    first = demo_people()
    chosen = {p.pid for p in first}
    rest = sorted(demo_population().people, key=lambda person: person.is_child)
    return first + [Resident(pid=p.pid, name=p.name) for p in rest if p.pid not in chosen]


def find_person(pid: str) -> Resident | None:
    return next((person for person in testid_people() if person.pid == pid), None)


def search_people(query: str, limit: int) -> list[Resident]:
    """People whose name contains every word of the query (case-insensitive)."""
    words = query.casefold().split()
    found = [p for p in testid_people() if all(w in p.name.casefold() for w in words)]
    return found[:limit]


def find_staff(username: str) -> DemoStaffMember | None:
    """One of the demo staff (accounts/demo.py); never any other account."""
    return next((person for person in list_demo_staff() if person.username == username), None)
