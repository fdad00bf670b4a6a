"""The synthetic people the demo and tests log in as, taken from the demo population."""

from functools import cache

from servicetorg.identity.population import Person, demo_population
from servicetorg.identity.registers import LocalPersonRegister
from servicetorg.identity.residents import Resident


@cache
def demo_people() -> list[Resident]:
    """Parents of small children in three households, and one adult without children.

    All synthetic (month + 80), from the seeded demo population.
    """
    population = demo_population()
    register = LocalPersonRegister(population)
    adults = [p for p in population.people if not p.is_child and not p.is_d_number]
    households: dict[str, Person] = {}
    for person in adults:
        if register.children_under(person.pid, 6):
            households.setdefault(person.household_id, person)
    parents = list(households.values())
    others = [p for p in adults if not register.children_under(p.pid)]
    return [Resident(pid=p.pid, name=p.name) for p in parents[:3] + others[:1]]
