"""Service definitions: validation against the JSON Schema, and a small reader."""

import functools
import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from servicetorg.catalog.placeholders import template_problems

SCHEMA_PATH = Path(__file__).parent / "schema" / "service-definition.schema.json"
STARTER_DIR = Path(__file__).parent / "starter"
FALLBACK_LANGUAGES = ("nb", "nn", "en")
# Which field types each prefill source can fill (docs/service-definition.md).
PREFILL_TYPES = {
    "person.name": {"text"},
    "person.fnr": {"fnr"},
    "person.address": {"address"},
    "person.birth_date": {"date"},
    "contact.email": {"email"},
    "contact.mobile": {"phone"},
    "household.children": {"choice", "group"},
}


class DefinitionError(ValueError):
    """A definition that does not follow the schema; `problems` says where and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@functools.cache
def schema_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def definition_problems(document: Any) -> list[str]:
    """Return one message per problem, each naming the place: `steps/0/fields/2: …`."""
    errors = sorted(schema_validator().iter_errors(document), key=lambda e: list(e.path))
    problems = [f"{'/'.join(str(p) for p in e.path) or '(top)'}: {e.message}" for e in errors]
    if not problems:
        problems = _reference_problems(document)
    return problems


def _reference_problems(document: dict) -> list[str]:
    """Keys unique; conditions refer only to earlier fields; placeholders only to known values."""
    problems: list[str] = []
    seen: set[str] = set()
    for s, step in enumerate(document["steps"]):
        for f, field in enumerate(step["fields"]):
            place = f"steps/{s}/fields/{f}"
            if field["key"] in seen:
                problems.append(f"{place}/key: duplicate field key {field['key']!r}")
            for name in condition_vars(field.get("show_if")):
                if name not in seen:
                    problems.append(f"{place}/show_if: refers to {name!r}, not an earlier field")
            if field.get("prefill") and field["type"] not in PREFILL_TYPES[field["prefill"]]:
                problems.append(
                    f"{place}/prefill: {field['prefill']} cannot fill a {field['type']} field"
                )
            seen.add(field["key"])
    return problems + template_problems(document)


def condition_vars(condition: Any) -> Iterator[str]:
    """Yield every answer key a condition reads."""
    if isinstance(condition, dict):
        for op, arg in condition.items():
            if op == "var":
                yield str(arg[0] if isinstance(arg, list) else arg)
            else:
                yield from condition_vars(arg)
    elif isinstance(condition, list):
        for item in condition:
            yield from condition_vars(item)


def validate_document(document: Any) -> "Definition":
    problems = definition_problems(document)
    if problems:
        raise DefinitionError(problems)
    return Definition(document)


def load_file(path: Path) -> "Definition":
    return validate_document(yaml.safe_load(path.read_text(encoding="utf-8")))


def starter_paths() -> list[Path]:
    return sorted(p for p in STARTER_DIR.glob("*.yaml") if p.name != "offerings.yaml")


def fold(text: str) -> str:
    """Lower-case and strip accents, so "Snøscooter" and "snoscooter" match."""
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Definition:
    """Read access to a validated definition document."""

    def __init__(self, data: dict) -> None:
        self.data = data
        self.steps: list[dict] = data["steps"]
        self.fields: dict[str, dict] = {
            field["key"]: field for step in self.steps for field in step["fields"]
        }

    @staticmethod
    def text(value: dict | None, language: str | None) -> str:
        """The text in the language asked for, falling back through nb, nn, en."""
        if not value:
            return ""
        for code in (language or "nb", *FALLBACK_LANGUAGES):
            if value.get(code):
                return value[code]
        return ""

    def t(self, name: str, language: str | None) -> str:
        return self.text(self.data.get(name), language)

    def search_text(self) -> str:
        parts: list[str] = []
        for name in ("title", "summary"):
            parts.extend(self.data[name].values())
        for words in self.data.get("keywords", {}).values():
            parts.extend(words)
        return fold(" ".join(parts))

    @property
    def fee_nok(self) -> int:
        return int((self.data.get("fee") or {}).get("amount_nok") or 0)
