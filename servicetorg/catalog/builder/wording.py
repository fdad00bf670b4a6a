"""How the builder names things for people: steps, fields, texts, places and conditions.

Shared by the guards, the difference between versions and the merge of adopted services. Every
reader here takes an unfinished document without raising: a missing title or label falls back
to the step's number or the field's key.
"""

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, gettext_noop, override
from django.utils.translation import gettext as _

from servicetorg.catalog.definitions import FALLBACK_LANGUAGES

LANGUAGES = FALLBACK_LANGUAGES
CHOICE_TYPES = ("choice", "multichoice")
SERVICE_TEXTS = {
    "title": gettext_noop("The title of the service"),
    "summary": gettext_noop("The summary of the service"),
    "who_can_apply": gettext_noop("The text “Who can apply”"),
    "what_you_need": gettext_noop("The text “What you need”"),
    "what_happens_next": gettext_noop("The text “What happens next”"),
}
FIELD_TEXTS = {
    "label": gettext_noop("The label of the field «%(field)s»"),
    "help": gettext_noop("The help text of the field «%(field)s»"),
    "pattern_message": gettext_noop("The pattern message of the field «%(field)s»"),
    "body": gettext_noop("The text of the field «%(field)s»"),
    "item_label": gettext_noop("The item name of the field «%(field)s»"),
}
OUTCOMES = {
    "approve": gettext_noop("approved"),
    "reject": gettext_noop("rejected"),
    "partial": gettext_noop("partly approved"),
}


@dataclass
class TextRef:
    """One text of the document: where it is, what it is called and whether it must exist."""

    name: str
    owner: dict
    attr: str
    required: bool
    step: int | None = None
    field: str | None = None


def language_name(code: str) -> str:
    return {"nb": _("bokmål"), "nn": _("nynorsk"), "en": _("English")}.get(code, code)


def text_of(value: Any, language: str | None = None) -> str:
    """The text in the language asked for (the active one by default), else in any other."""
    if not isinstance(value, dict):
        return ""
    for code in (language or get_language() or "nb", *LANGUAGES):
        if isinstance(value.get(code), str) and value[code].strip():
            return value[code].strip()
    return ""


def step_name(step: Any, index: int) -> str:
    title = text_of(step.get("title")) if isinstance(step, dict) else ""
    return title or _("Step %(number)d") % {"number": index + 1}


def field_name(field: Any) -> str:
    if not isinstance(field, dict):
        return _("(unnamed field)")
    return text_of(field.get("label")) or str(field.get("key") or _("(unnamed field)"))


def steps_of(document: Any) -> list[tuple[int, dict]]:
    steps = document.get("steps") if isinstance(document, dict) else None
    if not isinstance(steps, list):  # an imported or hand-edited document may hold anything
        return []
    return [(i, s) for i, s in enumerate(steps) if isinstance(s, dict)]


def fields_of(container: Any) -> list[dict]:
    fields = container.get("fields") if isinstance(container, dict) else None
    return [f for f in fields if isinstance(f, dict)] if isinstance(fields, list) else []


def options_of(field: Any) -> list[dict]:
    options = field.get("options") if isinstance(field, dict) else None
    return [o for o in options if isinstance(o, dict)] if isinstance(options, list) else []


def all_fields(document: Any) -> list[tuple[int, dict]]:
    """(step index, field) for every top-level field, in the order the resident meets them."""
    return [(i, f) for i, step in steps_of(document) for f in fields_of(step)]


def field_key(field: dict) -> str | None:
    key = field.get("key")
    return key if isinstance(key, str) and key else None


def texts(document: dict) -> Iterator[TextRef]:
    """Every text of the document, with a plain name for it."""
    fee = document.get("fee") if isinstance(document.get("fee"), dict) else {}
    for attr, name in SERVICE_TEXTS.items():
        yield TextRef(_(name), document, attr, True)
    yield TextRef(_("The list of search words"), document, "keywords", True)
    if fee:
        yield TextRef(_("The fee text"), fee, "text", bool(fee.get("amount_nok")))
    for i, step in steps_of(document):
        values = {"step": step_name(step, i)}
        yield TextRef(_("The title of the step «%(step)s»") % values, step, "title", True, i)
        name = _("The introduction of the step «%(step)s»") % values
        yield TextRef(name, step, "intro", False, i)
        for field in fields_of(step):
            yield from _field_texts(field, i, field_key(field), field_name(field))
    yield from template_texts(document)


def _field_texts(field: dict, step: int, key: str | None, name: str) -> Iterator[TextRef]:
    for attr, label in FIELD_TEXTS.items():
        required = attr == "label" or (attr == "body" and field.get("type") == "info")
        yield TextRef(_(label) % {"field": name}, field, attr, required, step, key)
    for option in options_of(field) if field.get("type") in CHOICE_TYPES else []:
        values = {"field": name, "option": text_of(option.get("label")) or option.get("value")}
        label = _("The option «%(option)s» of the field «%(field)s»") % values
        yield TextRef(label, option, "label", True, step, key)
    for sub in fields_of(field) if field.get("type") == "group" else []:
        yield from _field_texts(sub, step, key, f"{name} › {field_name(sub)}")


def template_texts(document: dict) -> Iterator[TextRef]:
    templates = document.get("decision_templates")
    for outcome, template in templates.items() if isinstance(templates, dict) else []:
        if isinstance(template, dict):
            values = {"outcome": _(OUTCOMES.get(outcome, outcome))}
            name = _("The title of the decision letter “%(outcome)s”") % values
            yield TextRef(name, template, "title", True)
            name = _("The text of the decision letter “%(outcome)s”") % values
            yield TextRef(name, template, "body", True)


def present(value: Any, code: str) -> bool:
    entry = value.get(code) if isinstance(value, dict) else None
    if isinstance(entry, list):
        return bool(entry) and all(isinstance(word, str) and word.strip() for word in entry)
    return isinstance(entry, str) and bool(entry.strip())


def missing_translations(document: Any) -> list[tuple[str, int | None, str | None, str]]:
    """(what, step index, field key, language) for every text that lacks a language."""
    if not isinstance(document, dict):
        return []
    return [
        (ref.name, ref.step, ref.field, code)
        for ref in texts(document)
        if ref.required or ref.attr in ref.owner
        for code in LANGUAGES
        if not present(ref.owner.get(ref.attr), code)
    ]


def fill_fallback(document: dict, language: str) -> dict:
    """A copy in which every language a text lacks is filled from the municipality's language."""
    document = copy.deepcopy(document)
    for ref in texts(document):
        value = ref.owner.get(ref.attr)
        if isinstance(value, dict) and present(value, language):
            filled = {c: value[c] if present(value, c) else value[language] for c in LANGUAGES}
            ref.owner[ref.attr] = {**value, **filled}
    return document


def describe_path(document: dict, parts: list[str]) -> tuple[str, int | None, str | None]:
    """A readable place for a path in the document, with its step index and field key."""
    if len(parts) < 2 or parts[0] != "steps" or not parts[1].isdigit():
        return (
            (_("The service") if not parts else _("The setting “%(name)s”") % {"name": parts[0]}),
            None,
            None,
        )
    steps = dict(steps_of(document))
    step_index = int(parts[1])
    step = steps.get(step_index, {})
    place = _("The step «%(step)s»") % {"step": step_name(step, step_index)}
    if len(parts) < 4 or parts[2] != "fields" or not parts[3].isdigit():
        return place, step_index, None
    fields = step.get("fields") if isinstance(step.get("fields"), list) else []
    field = fields[int(parts[3])] if int(parts[3]) < len(fields) else {}
    values = {"step": step_name(step, step_index), "field": field_name(field)}
    key = field.get("key") if isinstance(field, dict) else None
    return _("The field «%(field)s» in the step «%(step)s»") % values, step_index, key


def describe_condition(condition: Any, document: Any, language: str) -> str:
    """A sentence for a `show_if`: shown when «Type of place» is «Part time»."""
    with override(language):
        if condition is None:
            return _("always shown")
        return _("shown when %(condition)s") % {"condition": _sentence(condition, document)}


def _sentence(node: Any, document: Any, nested: bool = False) -> str:
    if not isinstance(node, dict) or len(node) != 1:
        return str(node)
    ((op, arg),) = node.items()
    if op in ("and", "or") and isinstance(arg, list):
        joiner = _(" and ") if op == "and" else _(" or ")
        text = joiner.join(_sentence(c, document, True) for c in arg)
        return f"({text})" if nested and len(arg) > 1 else text
    if op == "!":
        inner = arg[0] if isinstance(arg, list) and arg else arg
        return _("not (%(condition)s)") % {"condition": _sentence(inner, document)}
    if op == "var":
        return _("%(field)s is answered") % {"field": _operand(node, document, None)}
    if not isinstance(arg, list) or len(arg) != 2:
        return str(node)
    return _comparison(op, arg[0], arg[1], document)


def _comparison(op: str, left: Any, right: Any, document: Any) -> str:
    field = _field_by_var(left, document) or _field_by_var(right, document)
    if op == "in" and isinstance(right, dict):
        values = {
            "field": _operand(right, document, None),
            "value": _operand(left, document, field),
        }
        return _("%(field)s includes %(value)s") % values
    if op in ("==", "!=") and isinstance(right, bool) and field and field.get("type") == "yesno":
        yes = (op == "==") == right
        name = _operand(left, document, None)
        return (_("%(field)s is answered yes") if yes else _("%(field)s is answered no")) % {
            "field": name
        }
    if op == "in" and isinstance(right, list):
        items = ", ".join(_operand(v, document, field) for v in right)
        return _("%(field)s is one of %(values)s") % {
            "field": _operand(left, document, None),
            "values": items,
        }
    templates = {
        "==": _("%(left)s is %(right)s"),
        "!=": _("%(left)s is not %(right)s"),
        ">": _("%(left)s is more than %(right)s"),
        ">=": _("%(left)s is at least %(right)s"),
        "<": _("%(left)s is less than %(right)s"),
        "<=": _("%(left)s is at most %(right)s"),
    }
    values = {"left": _operand(left, document, field), "right": _operand(right, document, field)}
    return templates.get(op, "%(left)s " + op + " %(right)s") % values


def _field_by_var(operand: Any, document: Any) -> dict | None:
    if not isinstance(operand, dict) or "var" not in operand:
        return None
    key = (
        operand["var"][0] if isinstance(operand["var"], list) and operand["var"] else operand["var"]
    )
    return next((f for _s, f in all_fields(document) if f.get("key") == key), None)


def _operand(value: Any, document: Any, field: dict | None) -> str:
    """«Label» for a field, «Option label» for an option's value, else the value itself."""
    if isinstance(value, dict):
        found = _field_by_var(value, document)
        return f"«{field_name(found)}»" if found else f"«{value.get('var')}»"
    if value is None:
        return _("empty")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    for option in options_of(field):
        if option.get("value") == value:
            return f"«{text_of(option.get('label')) or value}»"
    return f"«{value}»" if isinstance(value, str) else str(value)
