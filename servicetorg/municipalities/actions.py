"""Writes to municipalities."""

import csv
import re
from pathlib import Path

from django.db import transaction

from servicetorg.municipalities.models import Municipality

DEMO_CSV = Path(__file__).parent / "data" / "municipalities.csv"
RESERVED_SLUGS = {
    "admin",
    "static",
    "mine-saker",
    "logg-inn",
    "logg-ut",
    "i18n",
    "vedlegg",
    "api",
    "testid",
    "ansatt",
}


@transaction.atomic
def add_municipality(
    *, number: str, name: str, slug: str, default_language: str = "nb", **extra
) -> Municipality:
    """Add a municipality, or update the one with this number."""
    if slug in RESERVED_SLUGS:
        raise ValueError(f"{slug!r} is reserved for the installation's own pages")
    # The colour is written into a stylesheet: only #RRGGBB.
    if "accent_color" in extra and not re.fullmatch(r"#[0-9A-Fa-f]{6}", extra["accent_color"]):
        raise ValueError("The accent colour is written as #RRGGBB")
    municipality, _ = Municipality.objects.update_or_create(
        number=number,
        defaults={"name": name, "slug": slug, "default_language": default_language, **extra},
    )
    return municipality


def load_demo_municipalities() -> list[Municipality]:
    with DEMO_CSV.open(encoding="utf-8") as handle:
        return [
            add_municipality(
                number=row["number"],
                name=row["name"],
                slug=row["slug"],
                default_language=row["default_language"],
                population=int(row["population_approx"]),
                predecessors=row["predecessors_2017"],
                accent_color=row["accent_color"],
            )
            for row in csv.DictReader(handle)
        ]
