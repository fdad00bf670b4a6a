"""Assurance levels (eIDAS): what a service needs and what a login gave.

A service definition says `assurance: substantial|high` (default substantial); ID-porten asks for
and answers with `acr` values `idporten-loa-substantial` and `idporten-loa-high`.
"""

from typing import Any

SUBSTANTIAL = "substantial"
HIGH = "high"
LEVELS = (SUBSTANTIAL, HIGH)  # weakest first
ACR_VALUES = {SUBSTANTIAL: "idporten-loa-substantial", HIGH: "idporten-loa-high"}


def clean_level(value: str | None) -> str:
    """Allow-list a level from a query string; anything else means substantial."""
    return value if value in LEVELS else SUBSTANTIAL


def acr_for(level: str) -> str:
    return ACR_VALUES[clean_level(level)]


def level_for_acr(acr: str | None) -> str | None:
    """The level an `acr` value stands for, or None for a value ID-porten does not send."""
    return next((level for level, value in ACR_VALUES.items() if value == acr), None)


def meets(level: str | None, required: str) -> bool:
    """True when `level` is at least `required`."""
    if level not in LEVELS:
        return False
    return LEVELS.index(level) >= LEVELS.index(clean_level(required))


def level_for_service(definition: Any) -> str:
    """The level a service definition (a `Definition` or its document) asks for."""
    document = getattr(definition, "data", definition) or {}
    return clean_level(document.get("assurance"))
