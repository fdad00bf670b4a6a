"""Demo sign-in: pick one of a few synthetic people. Replaced by the real login later."""

from datetime import date
from functools import cache

from servicetorg.identity.residents import Resident
from servicetorg.lib.idnumbers import generate_synthetic_fnr

PEOPLE = [
    ("Kari Nordmann", date(1986, 3, 14)),
    ("Ola Romsdal", date(1979, 11, 2)),
    ("Ingrid Hustad", date(1992, 7, 21)),
    ("Amir Haddad", date(1990, 1, 9)),
]


@cache
def demo_people() -> list[Resident]:
    """Synthetic people (month + 80): valid numbers that belong to no one."""
    people = []
    for name, born in PEOPLE:
        pid = next(n for i in range(100, 499) if (n := generate_synthetic_fnr(born, i)) is not None)
        people.append(Resident(pid=pid, name=name))
    return people
