"""The synthetic population register: valid synthetic numbers, households, determinism."""

import re

from servicetorg.identity.population import (
    REFERENCE_DATE,
    age_on,
    demo_population,
    generate_contacts,
    generate_population,
)
from servicetorg.lib import idnumbers

MUNICIPALITY_NUMBERS = {"1506", "1579", "1539", "1535", "1547"}


def test_it_has_at_least_500_people() -> None:
    assert len(generate_population()) >= 500


def test_it_gives_unique_valid_synthetic_numbers() -> None:
    people = generate_population()
    pids = [person.pid for person in people]
    assert len(set(pids)) == len(pids)
    for pid in pids:
        assert idnumbers.fnr_problem(pid, allow_synthetic=True) is None
        assert idnumbers.fnr_problem(pid, allow_synthetic=False) == "synthetic"


def test_it_encodes_the_birth_date_in_the_number() -> None:
    for person in generate_population():
        assert idnumbers.birth_date(person.pid) == person.birth_date


def test_it_gives_the_same_people_for_the_same_seed() -> None:
    assert generate_population(seed=7) == generate_population(seed=7)
    assert generate_contacts(generate_population(seed=7), seed=7) == generate_contacts(
        generate_population(seed=7), seed=7
    )


def test_it_gives_other_people_for_another_seed() -> None:
    assert generate_population(seed=7) != generate_population(seed=8)


def test_it_has_some_d_numbers_for_adults_only() -> None:
    people = generate_population()
    d_numbers = [person for person in people if person.is_d_number]
    assert 0.02 * len(people) <= len(d_numbers) <= 0.10 * len(people)
    for person in d_numbers:
        assert person.pid[0] in "4567"
        assert not person.is_child and age_on(person.birth_date, REFERENCE_DATE) >= 18
    assert all(person.pid[0] in "0123" for person in people if not person.is_d_number)


def test_it_has_people_in_every_municipality_roughly_by_population() -> None:
    people = generate_population()
    counts = {
        n: sum(p.address.municipality_number == n for p in people) for n in MUNICIPALITY_NUMBERS
    }
    assert all(count > 0 for count in counts.values())
    assert counts["1506"] == max(counts.values())  # Molde is the largest


def test_it_gives_four_digit_postal_codes() -> None:
    for person in generate_population():
        assert re.fullmatch(r"\d{4}", person.address.postal_code)
        assert person.address.street and person.address.place


def test_it_has_children_aged_1_to_5_living_with_a_parent() -> None:
    population = demo_population()
    young = [
        child
        for child in population.people
        if child.is_child and 1 <= age_on(child.birth_date, REFERENCE_DATE) <= 5
    ]
    with_parent = [
        child
        for child in young
        if any(not m.is_child for m in population.by_household[child.household_id])
    ]
    assert len(with_parent) >= 50


def test_it_gives_a_household_one_address() -> None:
    for members in demo_population().by_household.values():
        assert len({member.address for member in members}) == 1
        assert any(not member.is_child for member in members)


def test_it_gives_children_mostly_the_household_family_name() -> None:
    population = demo_population()
    children = [p for p in population.people if p.is_child]
    shared = [
        child
        for child in children
        if any(
            not m.is_child and m.family_name == child.family_name
            for m in population.by_household[child.household_id]
        )
    ]
    assert len(shared) >= 0.8 * len(children)


def test_it_gives_contact_details_in_the_documented_shape() -> None:
    population = demo_population()
    adults = [p for p in population.people if age_on(p.birth_date, REFERENCE_DATE) >= 16]
    contacts = population.contacts
    assert 0.8 * len(adults) <= len(contacts) <= 0.97 * len(adults)
    assert 0 < sum(info.reserved for info in contacts.values()) <= 0.08 * len(contacts)
    for info in contacts.values():
        assert re.fullmatch(r"[a-z0-9-]+\.[a-z0-9-]+\d+@example\.no", info.email or "")
        assert re.fullmatch(r"[49]\d{7}", info.mobile or "")
    assert len({info.email for info in contacts.values()}) == len(contacts)


def test_it_gives_no_contact_details_to_young_children() -> None:
    population = demo_population()
    for person in population.people:
        if age_on(person.birth_date, REFERENCE_DATE) < 16:
            assert person.pid not in population.contacts


def test_it_indexes_the_demo_population() -> None:
    population = demo_population()
    assert population is demo_population()
    assert population.people == generate_population()
    assert all(population.by_pid[p.pid] is p for p in population.people)
    assert sum(len(members) for members in population.by_household.values()) == len(
        population.people
    )
