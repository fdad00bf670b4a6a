"""Guards for the builder: what keeps a working document from being published, in plain words.

The builder's draft is often unfinished: texts without all languages, steps without fields,
choices without options. Every check here reads the document defensively and never raises;
each problem names the step and field by title and label, not by a path in the JSON. When the
specific checks find nothing, whatever the schema still refuses is reported as well, so an empty
list means the definition validates.
"""

import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from servicetorg.catalog.builder.wording import (
    CHOICE_TYPES,
    LANGUAGES,
    all_fields,
    describe_condition,
    describe_path,
    field_key,
    field_name,
    fields_of,
    fill_fallback,
    language_name,
    missing_translations,
    options_of,
    present,
    step_name,
    steps_of,
    template_texts,
    texts,
)
from servicetorg.catalog.conditions import holds
from servicetorg.catalog.definitions import condition_vars, definition_problems
from servicetorg.catalog.placeholders import ANSWER, NAMES, TOKEN, placeholder_problems

KEY = re.compile(r"^[a-z][a-z0-9_]*$")
# Field types whose answers conditions can be reasoned about by trying representative values.
OPEN_TYPES = ("text", "textarea", "integer", "decimal", "amount", "date", "email", "phone")
OPEN_TYPES += ("fnr", "orgnr", "consent")
MAX_TRIES = 5000
__all__ = ["Problem", "describe_condition", "fill_fallback", "missing_translations", "problems"]
SETTINGS = {
    "slug": gettext_noop("The web address name"),
    "category": gettext_noop("The category"),
    "department": gettext_noop("The department"),
    "handling_days": gettext_noop("The handling time"),
    "retention_years": gettext_noop("The retention time"),
}

# Every message, in one place; `%(field)s` and `%(step)s` are a label and a title.
# fmt: off
MESSAGES = {
    "damaged": gettext_noop("The service definition is empty or damaged."),
    "setting": gettext_noop("%(setting)s is not filled in."),
    "no_key": gettext_noop("The field «%(field)s» has no key."),
    "bad_key": gettext_noop("The key “%(key)s” of the field «%(field)s» may only hold small letters a–z, digits and _, and must start with a letter."),
    "same_key": gettext_noop("The field «%(field)s» has the key “%(key)s”, which another field already uses. Each field needs its own key."),
    "no_steps": gettext_noop("The form has no steps. Add a step with at least one field."),
    "empty_step": gettext_noop("The step «%(step)s» has no fields. Add a field or remove the step."),
    "no_options": gettext_noop("The field «%(field)s» is a choice, but has no options to choose from."),
    "same_option": gettext_noop("The field «%(field)s» has more than one option with the value “%(value)s”."),
    "pattern": gettext_noop("The pattern of the field «%(field)s» is not a valid pattern: %(error)s."),
    "file_size": gettext_noop("The field «%(field)s» allows files of %(size)d MB, but this installation allows at most %(max)d MB."),
    "no_such_field": gettext_noop("The field «%(field)s» is shown depending on a field that does not exist (key “%(key)s”)."),
    "itself": gettext_noop("The field «%(field)s» is shown depending on its own answer."),
    "later": gettext_noop("The field «%(field)s» is shown depending on «%(other)s», which comes later in the form. A field can only depend on fields before it."),
    "circle": gettext_noop("The fields %(fields)s are shown depending on each other in a circle, so none of them can ever be shown."),
    "never": gettext_noop("The field «%(field)s» is required but can never be shown: its condition can never be met."),
    "never_because": gettext_noop("The field «%(field)s» is required but can never be shown, because it depends on %(other)s, which is never shown."),
    "empty": gettext_noop("%(text)s is empty."),
    "empty_optional": gettext_noop("%(text)s is empty. Write it or remove it."),
    "missing": gettext_noop("%(text)s is missing in %(language)s."),
    "brace": gettext_noop("%(text)s (%(language)s) has a lone “%(brace)s”. Write a placeholder as {name}."),
    "no_answer": gettext_noop("%(text)s (%(language)s) refers to the answer to “%(key)s”, but the form has no field with that key."),
    "placeholder": gettext_noop("%(text)s (%(language)s) uses {%(name)s}, which is not a placeholder that can be filled in."),
    "generic": gettext_noop("%(place)s is not filled in correctly (%(path)s)."),
}
# fmt: on


@dataclass(frozen=True)
class Problem:
    """One thing to fix, in plain words, with the step, field and part it points at."""

    message: str
    step: int | None = None
    field: str | None = None
    part: str | None = None


def _problem(name: str, values: dict, step=None, field=None, part=None) -> Problem:
    return Problem(_(MESSAGES[name]) % values, step, field, part)


def problems(
    document: Any,
    *,
    allow_fallback: bool = False,
    language: str = "nb",
    max_upload_mb: int | None = None,
) -> list[Problem]:
    """Everything that keeps the document from being published; an empty list means it may be.

    With `allow_fallback` only the municipality's `language` is needed in every text; the others
    are filled from it when publishing (`fill_fallback`). `max_upload_mb` defaults to the
    installation's UPLOAD_MAX_MB.
    """
    if not isinstance(document, dict):
        return [_problem("damaged", {})]
    limit = settings.UPLOAD_MAX_MB if max_upload_mb is None else max_upload_mb
    found = [
        *_setting_problems(document),
        *_key_problems(document),
        *_step_problems(document),
        *_field_problems(document, limit),
        *_condition_problems(document),
        *_text_problems(document, (language,) if allow_fallback else LANGUAGES),
        *_placeholder_problems(document),
    ]
    if not found:
        checked = fill_fallback(document, language) if allow_fallback else document
        found = [_generic(document, p) for p in definition_problems(checked)]
    return found


def _setting_problems(document: dict) -> Iterator[Problem]:
    for name, what in SETTINGS.items():
        if document.get(name) in (None, "", []):
            yield _problem("setting", {"setting": _(what)}, part=name)


def _key_problems(document: dict) -> Iterator[Problem]:
    seen: set[str] = set()
    for step, field in all_fields(document):
        yield from _own_key_problems(field, step, seen, field_key(field))
        inner: set[str] = set()
        for sub in fields_of(field) if field.get("type") == "group" else []:
            yield from _own_key_problems(sub, step, inner, field_key(field))


def _own_key_problems(field: dict, step: int, seen: set, where: str | None) -> Iterator[Problem]:
    key, values = field_key(field), {"field": field_name(field), "key": field.get("key")}
    if key is None:
        yield _problem("no_key", values, step, where, "key")
    elif not KEY.match(key):
        yield _problem("bad_key", values, step, where, "key")
    elif key in seen:
        yield _problem("same_key", values, step, where, "key")
    if key:
        seen.add(key)


def _step_problems(document: dict) -> Iterator[Problem]:
    if not steps_of(document):
        yield _problem("no_steps", {}, part="steps")
    for i, step in steps_of(document):
        if not fields_of(step):
            yield _problem("empty_step", {"step": step_name(step, i)}, i, None, "fields")


def _field_problems(document: dict, limit: int) -> Iterator[Problem]:
    for step, field in all_fields(document):
        key = field_key(field)
        for one in [field, *(fields_of(field) if field.get("type") == "group" else [])]:
            yield from _option_problems(one, step, key)
            yield from _pattern_problems(one, step, key)
        size = field.get("max_size_mb")
        if field.get("type") == "file" and isinstance(size, int) and size > limit:
            values = {"field": field_name(field), "size": size, "max": limit}
            yield _problem("file_size", values, step, key, "max_size_mb")


def _option_problems(field: dict, step: int, key: str | None) -> Iterator[Problem]:
    if field.get("type") not in CHOICE_TYPES:
        return
    options = options_of(field)
    if not options:
        yield _problem("no_options", {"field": field_name(field)}, step, key, "options")
    values = [str(o.get("value")) for o in options]
    for value in sorted({v for v in values if values.count(v) > 1}):
        yield _problem(
            "same_option", {"field": field_name(field), "value": value}, step, key, "options"
        )


def _pattern_problems(field: dict, step: int, key: str | None) -> Iterator[Problem]:
    pattern = field.get("pattern")
    if not isinstance(pattern, str):
        return
    try:
        re.compile(pattern)
    except re.error as error:
        yield _problem(
            "pattern", {"field": field_name(field), "error": error.msg}, step, key, "pattern"
        )


def _vars(condition: Any) -> list[str]:
    try:
        return list(dict.fromkeys(condition_vars(condition)))
    except (IndexError, TypeError):
        return []


def _condition_problems(document: dict) -> Iterator[Problem]:
    """References to missing, later or own answers, circles, and fields never shown."""
    fields = [(s, f) for s, f in all_fields(document) if field_key(f)]
    order: dict[str, int] = {}
    for position, (_step, field) in enumerate(fields):
        order.setdefault(field["key"], position)
    names = {key: field_name(fields[position][1]) for key, position in order.items()}
    graph = {f["key"]: [v for v in _vars(f.get("show_if")) if v in order] for _s, f in fields}
    circles = _circles(graph)
    unsure: set[str] = set()
    for position, (step, field) in enumerate(fields):
        found = list(_reference_problems(field, step, position, order, names, circles))
        if found or field["key"] in circles:
            unsure.add(field["key"])
        yield from found
    yield from _never_shown(fields, unsure, names)


def _reference_problems(field, step, position, order, names, circles) -> Iterator[Problem]:
    key = field["key"]
    for var in _vars(field.get("show_if")):
        values = {"field": names[key], "key": var, "other": names.get(var)}
        if var not in order:
            yield _problem("no_such_field", values, step, key, "show_if")
        elif var == key:
            yield _problem("itself", values, step, key, "show_if")
        elif order[var] >= position and var not in circles.get(key, ()):
            yield _problem("later", values, step, key, "show_if")
    circle = circles.get(key)
    if circle and circle[0] == key:
        values = {"fields": ", ".join(f"«{names[k]}»" for k in circle)}
        yield _problem("circle", values, step, key, "show_if")


def _circles(graph: dict[str, list[str]]) -> dict[str, list[str]]:
    """For each key on a circle of two or more conditions, the keys of its circle in order."""
    reach = {key: _reachable(graph, key) for key in graph}
    circles: dict[str, list[str]] = {}
    for key in graph:
        members = [k for k in graph if k != key and k in reach[key] and key in reach[k]]
        if members:
            circles[key] = [k for k in graph if k == key or k in members]
    return circles


def _reachable(graph: dict[str, list[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph.get(start, []))
    while todo:
        key = todo.pop()
        if key not in seen:
            seen.add(key)
            todo.extend(graph.get(key, []))
    return seen


def _never_shown(
    fields: list[tuple[int, dict]], unsure: set[str], names: dict
) -> Iterator[Problem]:
    """Required fields whose condition no answers to the earlier fields can make hold."""
    by_key = {f["key"]: f for _s, f in reversed(fields)}
    never: set[str] = set()
    for step, field in fields:
        condition, key = field.get("show_if"), field["key"]
        if condition is None or key in unsure or key in never:
            continue
        if _satisfiable(condition, by_key, never) is not False:
            continue
        never.add(key)
        if field.get("required") and field.get("type") != "info":
            hidden = ", ".join(f"«{names[v]}»" for v in _vars(condition) if v in never)
            values = {"field": names[key], "other": hidden}
            yield _problem("never_because" if hidden else "never", values, step, key, "show_if")


def _satisfiable(condition: Any, by_key: dict[str, dict], never: set[str]) -> bool | None:
    """Whether some answers make the condition hold; None when that cannot be told cheaply.

    Each answer is tried with representative values: the options of a choice, yes and no, and
    for open fields the constants of the condition and numbers just around them, which is
    enough to tell every comparison the condition language has.
    """
    constants = list(_constants(condition))
    names, domains = _vars(condition), []
    for var in names:
        domain = [None] if var in never else _domain(by_key[var], constants)
        if domain is None:
            return None
        domains.append(domain)
    if math.prod(len(d) for d in domains) > MAX_TRIES:
        return None
    try:
        for values in itertools.product(*domains):
            answers = {n: v for n, v in zip(names, values, strict=True) if v is not None}
            if holds(condition, answers):
                return True
    except (ValueError, TypeError, AttributeError, ArithmeticError):
        return None
    return False


def _domain(field: dict, constants: list) -> list | None:
    """Representative answers a field can have, or None when they cannot be listed."""
    kind = field.get("type")
    options = [o.get("value") for o in options_of(field)]
    if kind == "yesno":
        return [None, True, False]
    if kind == "info":
        return [None]
    if kind == "choice" and field.get("prefill") is None:
        return [None, *options]
    if kind == "multichoice" and len(options) <= 8:
        sizes = range(len(options) + 1)
        return [None, *(list(c) for n in sizes for c in itertools.combinations(options, n))]
    if kind in OPEN_TYPES or kind == "choice":
        return [None, "", "\x00other", True, False, *constants]
    return None


def _constants(condition: Any) -> Iterator[Any]:
    """Every constant a condition mentions, with numbers just around each number."""
    if isinstance(condition, dict):
        for op, arg in condition.items():
            if op != "var":
                yield from _constants(arg)
    elif isinstance(condition, list):
        for item in condition:
            yield from _constants(item)
    elif isinstance(condition, int | float) and not isinstance(condition, bool):
        number, half = Decimal(str(condition)), Decimal("0.5")
        yield from (number - 1, number - half, number, number + half, number + 1)
    elif condition is not None:
        yield condition


def _text_problems(document: dict, languages: tuple[str, ...]) -> Iterator[Problem]:
    for ref in texts(document):
        value = ref.owner.get(ref.attr)
        if not ref.required and ref.attr not in ref.owner:
            continue
        if not any(present(value, code) for code in LANGUAGES):
            name = "empty" if ref.required else "empty_optional"
            yield _problem(name, {"text": ref.name}, ref.step, ref.field, ref.attr)
            continue
        for code in languages:
            if not present(value, code):
                values = {"text": ref.name, "language": language_name(code)}
                yield _problem("missing", values, ref.step, ref.field, f"language:{code}")


def _placeholder_problems(document: dict) -> Iterator[Problem]:
    """One problem per wrong placeholder in a letter text, naming the languages it is in."""
    keys = {f["key"] for _s, f in all_fields(document) if field_key(f) and f.get("type") != "info"}
    for ref in template_texts(document):
        value = ref.owner.get(ref.attr)
        found: dict[tuple, list[str]] = {}
        for code, text in value.items() if isinstance(value, dict) else []:
            if isinstance(text, str) and placeholder_problems(text, keys):
                for name, values in _placeholder_messages(text, keys):
                    found.setdefault((name, *values.items()), []).append(language_name(code))
        for (name, *items), languages in found.items():
            values = {**dict(items), "text": ref.name, "language": ", ".join(languages)}
            yield _problem(name, values, part="decision_templates")


def _placeholder_messages(text: str, keys: set[str]) -> Iterator[tuple[str, dict]]:
    """The message name and values for each placeholder `placeholder_problems` refuses."""
    for match in TOKEN.finditer(text):
        inner = match.group(1)
        if inner is None:
            yield "brace", {"brace": match.group(0)}
        elif inner.startswith(ANSWER) and inner.removeprefix(ANSWER) not in keys:
            yield "no_answer", {"key": inner.removeprefix(ANSWER)}
        elif not inner.startswith(ANSWER) and inner not in NAMES:
            yield "placeholder", {"name": inner}


def _generic(document: dict, problem: str) -> Problem:
    """Word what the schema still refuses as a plain message naming the place."""
    path, _sep, _detail = problem.partition(": ")
    parts = [] if path == "(top)" else path.split("/")
    place, step, key = describe_path(document, parts)
    values = {"place": place, "path": path}
    return _problem("generic", values, step, key, parts[-1] if parts else None)
