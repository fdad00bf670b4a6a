"""The starter services every demo municipality offers (less those it does not)."""

import yaml

from servicetorg.catalog.actions import publish_service
from servicetorg.catalog.definitions import STARTER_DIR, starter_paths
from servicetorg.municipalities.models import Municipality


def not_offered() -> dict[str, list[str]]:
    path = STARTER_DIR / "offerings.yaml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("not_offered", {})


def load_starter_services(municipality: Municipality) -> int:
    """Publish every starter service the municipality offers; return how many."""
    skipped = set(not_offered().get(municipality.slug, []))
    count = 0
    for path in starter_paths():
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if document["slug"] in skipped:
            continue
        publish_service(municipality, document)
        count += 1
    return count
