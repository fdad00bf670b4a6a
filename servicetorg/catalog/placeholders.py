"""Placeholders in decision templates: `{applicant_name}`, `{answer:child_name}` and a few more.

Filling replaces only the placeholders it is given, with plain text, in one pass: a value that
itself looks like a placeholder stays as it is. Nothing here is HTML; the letter and the pages
escape the text when they render it. Validation refuses every other `{…}` in a template, so a
service owner learns of a typo when publishing, not when a letter goes out.
"""

import re
from collections.abc import Mapping

OUTCOMES = ("approve", "reject", "partial")
NAMES = (
    "applicant_name",
    "case_number",
    "received_date",
    "today",
    "service_title",
    "municipality_name",
)
ANSWER = "answer:"
# A placeholder, or a lone brace (refused in a template, left alone when filling).
TOKEN = re.compile(r"\{([^{}]*)\}|[{}]")


def placeholder_problems(text: str, field_keys: set[str]) -> list[str]:
    """One message per placeholder the text may not use."""
    problems = []
    for match in TOKEN.finditer(text):
        inner = match.group(1)
        if inner is None:
            problems.append(f"lone {match.group(0)!r}: write a placeholder as {{name}}")
        elif inner.startswith(ANSWER):
            key = inner.removeprefix(ANSWER)
            if key not in field_keys:
                problems.append(f"placeholder {{{inner}}} refers to {key!r}, not a field")
        elif inner not in NAMES:
            problems.append(f"unknown placeholder {{{inner}}}")
    return problems


def template_problems(document: dict) -> list[str]:
    """Problems of a schema-valid definition's decision templates, each naming its place."""
    keys = {
        field["key"]
        for step in document["steps"]
        for field in step["fields"]
        if field["type"] != "info"
    }
    problems = []
    for outcome, template in (document.get("decision_templates") or {}).items():
        for part in ("title", "body"):
            for language, text in template[part].items():
                place = f"decision_templates/{outcome}/{part}/{language}"
                problems += [f"{place}: {p}" for p in placeholder_problems(text, keys)]
    return problems


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace the placeholders named in `values`; leave every other character as it is."""

    def replace(match: re.Match) -> str:
        inner = match.group(1)
        return values[inner] if inner is not None and inner in values else match.group(0)

    return TOKEN.sub(replace, text)
