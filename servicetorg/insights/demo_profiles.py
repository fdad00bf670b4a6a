"""How the demo's history behaves: each service's volume and season, each municipality's shift.

The numbers behind `demo_history`: how often a service is applied for per 1,000 inhabitants, in
which months and before which deadlines, how its cases end and how they arrive when not digital;
how far each demo municipality has come from paper to digital and how well it keeps its handling
times; and the weekly and daily rhythm of the channels.
"""

from dataclasses import dataclass, field

# ---------------------------------------------------------------------------------------------
# The services: how often per 1,000 inhabitants a year, in which months, how they end


@dataclass(frozen=True)
class ServiceProfile:
    per_1000: float  # applications a year per 1,000 inhabitants
    months: tuple[float, ...]  # relative weight of January .. December
    outcomes: tuple[tuple[str, float], ...] = (("approve", 86), ("partial", 5), ("reject", 9))
    digital_bias: float = 0.0  # added to the municipality's digital share
    offline: tuple[float, float, float] = (0.45, 0.35, 0.20)  # paper, e-mail, phone
    info_rate: float = 1.0  # how often the caseworker must ask, relative to the average
    speed: float = 0.55  # typical share of the handling time used when decided in time
    # Days of the month before a deadline in the given months: (month, last day, boost)
    deadlines: tuple[tuple[int, int, float], ...] = ()


PROFILES: dict[str, ServiceProfile] = {
    "melding-om-feil": ServiceProfile(
        62,
        (1.2, 1.2, 1.6, 1.5, 1.0, 0.7, 0.5, 0.7, 0.8, 1.1, 1.3, 1.1),
        outcomes=(("approve", 93), ("partial", 4), ("reject", 3)),
        digital_bias=0.05,
        offline=(0.05, 0.35, 0.60),
        info_rate=0.4,
        speed=0.35,
    ),
    "barnehageplass": ServiceProfile(
        16,
        (1.6, 3.4, 0.7, 0.5, 0.5, 0.5, 0.3, 0.8, 0.8, 0.7, 0.6, 0.4),
        outcomes=(("approve", 84), ("partial", 10), ("reject", 6)),
        digital_bias=0.10,
        offline=(0.55, 0.35, 0.10),
        speed=0.6,
        deadlines=((3, 1, 2.0),),
    ),
    "sfo-plass": ServiceProfile(
        10,
        (0.5, 1.2, 3.0, 1.0, 0.8, 1.0, 0.2, 1.3, 0.5, 0.3, 0.3, 0.2),
        outcomes=(("approve", 92), ("partial", 5), ("reject", 3)),
        digital_bias=0.08,
        offline=(0.60, 0.30, 0.10),
        speed=0.5,
    ),
    "motorferdsel-utmark": ServiceProfile(
        9,
        (2.0, 2.6, 2.6, 1.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 1.9),
        outcomes=(("approve", 78), ("partial", 8), ("reject", 14)),
        offline=(0.55, 0.25, 0.20),
        info_rate=1.2,
    ),
    "skjenkebevilling-enkeltanledning": ServiceProfile(
        7,
        (0.4, 0.5, 0.6, 1.0, 1.8, 2.3, 1.3, 1.2, 0.7, 0.6, 1.5, 1.4),
        outcomes=(("approve", 91), ("partial", 3), ("reject", 6)),
        digital_bias=0.12,
        offline=(0.30, 0.60, 0.10),
        info_rate=1.1,
        speed=0.5,
    ),
    "gravetillatelse": ServiceProfile(
        7,
        (0.3, 0.3, 0.6, 1.3, 1.7, 1.7, 0.8, 1.6, 1.6, 1.3, 0.6, 0.2),
        outcomes=(("approve", 88), ("partial", 8), ("reject", 4)),
        digital_bias=0.12,
        offline=(0.25, 0.60, 0.15),
        speed=0.45,
    ),
    "kulturmidler": ServiceProfile(
        5,
        (0.3, 1.2, 3.0, 0.2, 0.2, 0.2, 0.1, 0.5, 1.5, 2.5, 0.2, 0.1),
        outcomes=(("approve", 45), ("partial", 40), ("reject", 15)),
        digital_bias=0.05,
        offline=(0.40, 0.55, 0.05),
        speed=0.6,
        deadlines=((3, 15, 1.8), (10, 15, 1.8)),
    ),
    "startlan": ServiceProfile(
        5,
        (0.8, 1.0, 1.2, 1.3, 1.3, 1.1, 0.5, 1.1, 1.1, 1.0, 0.9, 0.6),
        outcomes=(("approve", 62), ("partial", 10), ("reject", 28)),
        digital_bias=0.05,
        offline=(0.55, 0.35, 0.10),
        info_rate=1.8,
        speed=0.65,
    ),
    "kommunal-bolig": ServiceProfile(
        4,
        (1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 0.6, 1.4, 1.1, 1.0, 0.9, 0.8),
        outcomes=(("approve", 55), ("partial", 8), ("reject", 37)),
        digital_bias=-0.10,
        offline=(0.60, 0.20, 0.20),
        info_rate=1.6,
        speed=0.65,
    ),
    "parkeringstillatelse-forflytningshemmede": ServiceProfile(
        5,
        (1.2, 1.1, 1.0, 1.0, 1.0, 1.0, 0.6, 0.9, 1.0, 1.0, 1.1, 0.8),
        outcomes=(("approve", 80), ("partial", 4), ("reject", 16)),
        digital_bias=-0.20,
        offline=(0.65, 0.10, 0.25),
        info_rate=1.3,
    ),
    "tomming-slamavskiller": ServiceProfile(
        14,
        (0.3, 0.3, 0.4, 0.9, 1.6, 1.9, 1.5, 1.8, 1.6, 1.1, 0.4, 0.2),
        outcomes=(("approve", 97), ("partial", 2), ("reject", 1)),
        offline=(0.05, 0.35, 0.60),
        info_rate=0.3,
        speed=0.4,
    ),
}


@dataclass(frozen=True)
class PlaceProfile:
    digital_from: float  # digital share two years ago
    digital_to: float  # digital share now
    ramp_middle: float  # where on the span (0..1) the shift is steepest
    in_time_from: float  # share decided within the handling time two years ago
    in_time_to: float
    interim_from: float  # share of needed interim replies actually sent
    interim_to: float
    caseworkers: tuple[tuple[str, str, tuple[str, ...]], ...]  # extra historic caseworkers
    service_factors: dict[str, float] = field(default_factory=dict)


ALL = ()
PLACES: dict[str, PlaceProfile] = {
    "molde": PlaceProfile(
        0.44,
        0.80,
        0.40,
        0.80,
        0.93,
        0.55,
        0.90,
        (
            ("Kristin", "Aarø", ("Oppvekst",)),
            ("Magnus", "Hjelset", ("Oppvekst", "Kultur")),
            ("Hilde", "Bolsø", ("Teknisk drift",)),
            ("Jon", "Remme", ("Teknisk drift", "Landbruk og miljø")),
            ("Ingvild", "Sandvik", ("Eiendom", "Helse og omsorg")),
            ("Eirik", "Lervik", ("Næring", "Kultur", "Eiendom")),
        ),
        {
            "motorferdsel-utmark": 0.6,
            "tomming-slamavskiller": 0.5,
            "skjenkebevilling-enkeltanledning": 1.3,
        },
    ),
    "hustadvika": PlaceProfile(
        0.40,
        0.75,
        0.50,
        0.76,
        0.89,
        0.45,
        0.85,
        (
            ("Silje", "Hustad", ("Oppvekst", "Kultur", "Helse og omsorg")),
            ("Terje", "Gjerde", ("Teknisk drift", "Landbruk og miljø", "Eiendom", "Næring")),
        ),
        {"tomming-slamavskiller": 1.5, "motorferdsel-utmark": 0.7},
    ),
    "rauma": PlaceProfile(
        0.38,
        0.74,
        0.55,
        0.72,
        0.88,
        0.40,
        0.80,
        (
            ("Ragnhild", "Malmedal", ("Oppvekst", "Kultur", "Helse og omsorg", "Eiendom")),
            ("Knut", "Rekdal", ("Teknisk drift", "Landbruk og miljø", "Næring")),
        ),
        # Cabins and mountains: many snowmobile permits and rural septic tanks.
        {
            "motorferdsel-utmark": 3.0,
            "tomming-slamavskiller": 1.6,
            "skjenkebevilling-enkeltanledning": 1.2,
        },
    ),
    "vestnes": PlaceProfile(
        0.42,
        0.76,
        0.45,
        0.78,
        0.90,
        0.50,
        0.85,
        (("Marit", "Vike", ALL),),
        {"motorferdsel-utmark": 1.2},
    ),
    "aukra": PlaceProfile(
        0.32,
        0.66,
        0.65,
        0.70,
        0.84,
        0.35,
        0.75,
        (("Olav", "Tennfjord", ALL),),
        {"tomming-slamavskiller": 1.4},
    ),
}
DEFAULT_PLACE = PlaceProfile(0.40, 0.78, 0.5, 0.75, 0.88, 0.45, 0.82, ())

# Weekly rhythm (Monday first): digital comes every day, paper, e-mail and phone on working days.
DIGITAL_WEEK = (1.18, 1.12, 1.08, 1.05, 0.92, 0.72, 0.93)
OFFLINE_WEEK = (1.45, 1.40, 1.35, 1.35, 1.25, 0.10, 0.10)
# When in the day a digital application is sent (hours 0-23).
DIGITAL_HOURS = (1, 1, 0, 0, 0, 1, 2, 4, 7, 9, 9, 8, 8, 8, 8, 7, 6, 6, 7, 9, 10, 9, 6, 3)
EMAIL_HOURS = (0, 0, 0, 0, 0, 0, 1, 4, 8, 9, 9, 8, 7, 8, 8, 7, 5, 3, 3, 3, 3, 2, 1, 1)
