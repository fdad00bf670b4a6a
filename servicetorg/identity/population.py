"""The demo's synthetic population register: households in the five Romsdal municipalities.

Every identity number is a synthetic test number (month + 80, NORWAY.md "Identity numbers"), so
it belongs to no real person and production refuses it. About one person in twenty has a
D-number (day + 40): adults who came to work, with foreign names.

Postal codes and places are real for the municipality they are listed under. Street names are
for demo volumes only: they are plausible for the place, not checked against Matrikkelen, and
no house number is claimed to exist. No real person lives in this register.

Generation is deterministic: one `random.Random(seed)` drives everything, ages are counted
from the fixed `REFERENCE_DATE`, never from today, so the same seed gives the same people.
"""

import functools
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from servicetorg.lib.idnumbers import generate_synthetic_fnr

REFERENCE_DATE = date(2026, 1, 1)
CONTACT_MIN_AGE = 16  # younger residents are not in the demo's contact register

T = TypeVar("T")


@dataclass(frozen=True)
class Address:
    street: str
    postal_code: str
    place: str
    municipality_number: str


@dataclass(frozen=True)
class Person:
    pid: str
    given_name: str
    family_name: str
    birth_date: date
    address: Address
    household_id: str
    is_d_number: bool
    is_child: bool = False  # a child of the household's adults (barn), whatever the age

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(frozen=True)
class ContactInfo:
    email: str | None
    mobile: str | None
    reserved: bool


@dataclass(frozen=True)
class Population:
    people: list[Person]
    by_pid: dict[str, Person]
    by_household: dict[str, list[Person]]
    contacts: dict[str, ContactInfo] = field(default_factory=dict)


@dataclass(frozen=True)
class _Municipality:
    number: str
    population: int
    streets: tuple[tuple[str, str, str], ...]  # (street, postal code, place)


MUNICIPALITIES = (
    _Municipality(
        "1506",
        32000,
        (
            ("Storgata", "6413", "Molde"),
            ("Kirkebakken", "6413", "Molde"),
            ("Romsdalsgata", "6413", "Molde"),
            ("Hamnegata", "6413", "Molde"),
            ("Gideonvegen", "6413", "Molde"),
            ("Fannestrandvegen", "6415", "Molde"),
            ("Lunheimvegen", "6416", "Molde"),
            ("Frænavegen", "6416", "Molde"),
            ("Eidsvågvegen", "6460", "Eidsvåg"),
            ("Utsidevegen", "6475", "Midsund"),
        ),
    ),
    _Municipality(
        "1579",
        13300,
        (
            ("Sjøvegen", "6440", "Elnesvågen"),
            ("Malmefjordvegen", "6440", "Elnesvågen"),
            ("Skulemarka", "6440", "Elnesvågen"),
            ("Myrbostadvegen", "6440", "Elnesvågen"),
            ("Eidetorget", "6490", "Eide"),
            ("Industrivegen", "6490", "Eide"),
        ),
    ),
    _Municipality(
        "1539",
        7400,
        (
            ("Storgata", "6300", "Åndalsnes"),
            ("Åndalsgata", "6300", "Åndalsnes"),
            ("Romsdalsvegen", "6300", "Åndalsnes"),
            ("Vollanvegen", "6320", "Isfjorden"),
        ),
    ),
    _Municipality(
        "1535",
        6600,
        (
            ("Brugata", "6390", "Vestnes"),
            ("Leirvågvegen", "6390", "Vestnes"),
            ("Vestnesvegen", "6390", "Vestnes"),
            ("Sylteøvrane", "6391", "Tresfjord"),
        ),
    ),
    _Municipality(
        "1547",
        3600,
        (
            ("Nærøyvegen", "6480", "Aukra"),
            ("Rindarøyvegen", "6480", "Aukra"),
            ("Gossavegen", "6480", "Aukra"),
        ),
    ),
)

ADULT_NAMES = {
    "f": "Anne Inger Kari Marit Ingrid Liv Eva Berit Astrid Hilde Solveig Marianne Randi Kristin "
    "Silje Ingvild Tone Hege Elin Gunn Torill Siv Bente Camilla Linda Ragnhild Synnøve",
    "m": "Jan Per Bjørn Ole Lars Kjell Knut Arne Svein Hans Geir Terje Odd Thomas Morten Erik "
    "Anders Jon Magnus Henrik Rune Trond Tor Egil Stein Olav Harald Eirik Asbjørn",
}
CHILD_NAMES = {
    "f": "Nora Emma Olivia Ella Sofie Maja Frida Ingrid Astrid Sara Leah Ada Hedda Tiril Selma "
    "Vilde Thea Ida Mathilde Aurora",
    "m": "Jakob Emil Noah Oskar Lucas Filip Aksel Elias Isak Ludvig Olav Henrik William Johannes "
    "Magnus Sander Theodor Kasper Tobias Even",
}
FOREIGN_NAMES = {
    "f": "Agnieszka Katarzyna Magdalena Rasa Olena Iryna Maria Ana Jurgita Daiva Marisol Lan",
    "m": "Piotr Tomasz Krzysztof Jonas Mindaugas Andriy Oleksandr José Carlos Marek Darius Minh",
}
FAMILY_NAMES = (
    "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Aas "
    "Myklebust Hustad Gjerde Remme Sandvik Eide Bjørnstad Brekke Ugelvik Rød Silseth Tennfjord "
    "Stavik Bolsø Lervik Malmedal Vike Rekdal Hjelset Moen Strand Berg Gussiås"
).split()
FOREIGN_FAMILY_NAMES = (
    "Nowak Kowalczyk Zieliński Kazlauskas Petrauskas Shevchenko Bondarenko Santos Reyes "
    "Garcia Nguyen Tran Horváth Popescu"
).split()

# (kind, weight): the share of households of each kind
HOUSEHOLD_KINDS = (
    ("family", 31),
    ("single_parent", 9),
    ("couple", 18),
    ("single", 18),
    ("elderly", 15),
    ("newcomer", 9),
)
CHILD_COUNTS = ((1, 35), (2, 40), (3, 18), (4, 7))
YOUNGEST_CHILD_AGE_WEIGHTS = (3, 5, 5, 5, 4, 4, 3, 2, 2, 2, 1, 1, 1, 1)  # index = age


class _Builder:
    """Collects households; every random draw goes through the one `rng`."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.people: list[Person] = []
        self.used_pids: set[str] = set()

    def pick(self, options: Sequence[tuple[T, int]]) -> T:
        """One value from (value, weight) pairs."""
        values, weights = zip(*options, strict=True)
        return self.rng.choices(values, weights=weights)[0]

    def birth_date(self, age: int) -> date:
        """A birth date giving exactly `age` full years on REFERENCE_DATE (1 January)."""
        first = date(REFERENCE_DATE.year - age - 1, 1, 2)
        return first + timedelta(days=self.rng.randrange(364))

    def pid(self, born: date, male: bool, d_number: bool) -> str:
        """A new unique synthetic number; the individual number's parity gives the gender."""
        low = 500 if born.year >= 2000 else 0  # legacy century rule for 2000-2039 / 1900s
        for _ in range(1000):
            individual = low + 2 * self.rng.randrange(250) + int(male)
            pid = generate_synthetic_fnr(born, individual, d_number=d_number)
            if pid is not None and pid not in self.used_pids:
                self.used_pids.add(pid)
                return pid
        raise RuntimeError(f"no free synthetic number for {born}")

    def address(self, municipality: _Municipality) -> Address:
        street, postal_code, place = self.rng.choice(municipality.streets)
        number = f"{self.rng.randint(1, 60)}{self.rng.choice(['', '', '', '', 'A', 'B'])}"
        return Address(f"{street} {number}", postal_code, place, municipality.number)

    def municipality(self) -> _Municipality:
        return self.pick([(m, m.population) for m in MUNICIPALITIES])

    def add(
        self,
        household: "_Household",
        age: int,
        family_name: str,
        *,
        child: bool = False,
        foreign: bool = False,
    ) -> Person:
        """Add one member to the household; a foreign adult gets a D-number."""
        male = self.rng.random() < 0.5
        names = FOREIGN_NAMES if foreign else CHILD_NAMES if child else ADULT_NAMES
        born = self.birth_date(age)
        person = Person(
            pid=self.pid(born, male, d_number=foreign),
            given_name=self.rng.choice(names["m" if male else "f"].split()),
            family_name=family_name,
            birth_date=born,
            address=household.address,
            household_id=household.id,
            is_d_number=foreign,
            is_child=child,
        )
        self.people.append(person)
        return person


@dataclass(frozen=True)
class _Household:
    id: str
    address: Address


def _family_name(builder: _Builder) -> str:
    return builder.rng.choice(FAMILY_NAMES)


def _child_ages(builder: _Builder) -> list[int]:
    """Ages of 1-4 siblings, youngest first, 1-4 years apart, all under 18."""
    count = builder.pick(CHILD_COUNTS)
    ages = [builder.pick(list(enumerate(YOUNGEST_CHILD_AGE_WEIGHTS)))]
    while len(ages) < count and ages[-1] + 4 < 18:
        ages.append(ages[-1] + builder.rng.randint(1, 4))
    return ages


def _add_children(
    builder: _Builder, household: _Household, ages: list[int], names: list[str]
) -> None:
    """Add the children, most of them with the first family name in `names`."""
    for age in ages:
        name = names[0] if builder.rng.random() < 0.85 else builder.rng.choice(names)
        builder.add(household, age, name, child=True)


def _add_family(builder: _Builder, household: _Household, parents: int) -> None:
    """One or two parents, then their children: same address and, mostly, family name."""
    family = _family_name(builder)
    other = family if builder.rng.random() < 0.6 else _family_name(builder)  # the other parent's
    ages = _child_ages(builder)
    age = max(ages) + builder.rng.randint(22, 40)
    builder.add(household, age, family)
    if parents == 2:
        builder.add(household, max(age + builder.rng.randint(-5, 5), max(ages) + 19), other)
    _add_children(builder, household, ages, [family, other])


def _add_adults(
    builder: _Builder, household: _Household, ages: tuple[int, int], count: int
) -> None:
    """`count` adults aged within `ages`; couples share the family name more often than not."""
    family = _family_name(builder)
    for _ in range(count):
        builder.add(household, builder.rng.randint(*ages), family)
        if builder.rng.random() < 0.4:
            family = _family_name(builder)


def _add_newcomers(builder: _Builder, household: _Household) -> None:
    """One or two adults with D-numbers and foreign names, in Norway to work."""
    family = builder.rng.choice(FOREIGN_FAMILY_NAMES)
    for _ in range(builder.rng.choice([1, 1, 1, 2])):
        builder.add(household, builder.rng.randint(20, 55), family, foreign=True)


def _add_household(builder: _Builder, index: int) -> None:
    household = _Household(f"H{index:04d}", builder.address(builder.municipality()))
    kind = builder.pick(HOUSEHOLD_KINDS)
    if kind in ("family", "single_parent"):
        _add_family(builder, household, parents=2 if kind == "family" else 1)
    elif kind == "couple":
        _add_adults(builder, household, (24, 66), count=2)
    elif kind == "single":
        _add_adults(builder, household, (19, 66), count=1)
    elif kind == "elderly":
        _add_adults(builder, household, (67, 95), count=builder.rng.choice([1, 2]))
    else:
        _add_newcomers(builder, household)


def generate_population(seed: int = 2026, size: int = 600) -> list[Person]:
    """Whole households until there are at least `size` people; the same seed, the same people."""
    builder = _Builder(seed)
    index = 1
    while len(builder.people) < size:
        _add_household(builder, index)
        index += 1
    return builder.people


def age_on(born: date, day: date) -> int:
    """Full years from `born` to `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _email_part(name: str) -> str:
    """Lower-case ASCII for an e-mail address: æ ø å spelled out, other accents dropped."""
    spelled = name.lower().replace("æ", "ae").replace("ø", "o").replace("å", "aa")
    ascii_only = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() or c == "-" else "-" for c in ascii_only)


def _contact(rng: random.Random, person: Person, count: int) -> ContactInfo | None:
    """About 10 % none, about 3 % reserved against digital post; `count` makes e-mails unique."""
    if rng.random() < 0.10:
        return None
    local = f"{_email_part(person.given_name)}.{_email_part(person.family_name)}{count}"
    mobile = f"{rng.choice('49')}{rng.randrange(10**7):07d}"
    return ContactInfo(f"{local}@example.no", mobile, reserved=rng.random() < 0.03)


def generate_contacts(people: list[Person], seed: int = 2026) -> dict[str, ContactInfo]:
    """Contact details as KRR holds them, by pid; children under 16 have none."""
    rng = random.Random(f"{seed}:contacts")
    contacts: dict[str, ContactInfo] = {}
    counts: dict[tuple[str, str], int] = {}
    for person in people:
        if age_on(person.birth_date, REFERENCE_DATE) < CONTACT_MIN_AGE:
            continue
        key = (person.given_name, person.family_name)
        counts[key] = counts.get(key, 0) + 1
        if (info := _contact(rng, person, counts[key])) is not None:
            contacts[person.pid] = info
    return contacts


def build_population(people: list[Person], contacts: dict[str, ContactInfo]) -> Population:
    """Index the people by pid and by household."""
    by_household: dict[str, list[Person]] = {}
    for person in people:
        by_household.setdefault(person.household_id, []).append(person)
    by_pid = {person.pid: person for person in people}
    return Population(people, by_pid, by_household, contacts)


@functools.cache
def demo_population() -> Population:
    """The demo's register (seed 2026), built once per process."""
    people = generate_population()
    return build_population(people, generate_contacts(people))
