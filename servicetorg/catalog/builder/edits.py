"""Edits of a working service definition: pure functions, a document in and a new one out.

The builder's working document may be incomplete (missing translations, an empty step); the
guards say what stands in the way of publishing. Every edit copies the document first, so the
caller can keep the old one for undo. Fields are found by key anywhere: in a step, or inside a
repeating group.
"""

import copy
import re
import unicodedata
from typing import Any

LANGUAGES = ("nb", "nn", "en")
SERVICE_TEXTS = ("title", "summary", "who_can_apply", "what_you_need", "what_happens_next")
KEY_CHARS = re.compile(r"[^a-z0-9]+")
# The settings each field type has besides label, help, required and show_if.
TYPE_SETTINGS: dict[str, tuple[str, ...]] = {
    "text": ("min_length", "max_length", "pattern", "pattern_message"),
    "textarea": ("min_length", "max_length"),
    "integer": ("min", "max"),
    "decimal": ("min", "max", "decimals"),
    "amount": ("min", "max"),
    "date": ("min", "max"),
    "yesno": (),
    "choice": ("widget",),
    "multichoice": ("min_choices", "max_choices"),
    "email": (),
    "phone": (),
    "fnr": (),
    "orgnr": (),
    "address": (),
    "property": (),
    "file": ("multiple", "max_files", "accept", "max_size_mb"),
    "consent": (),
    "info": ("body",),
    "group": ("min_items", "max_items", "item_label"),
}
FIELD_TYPES = tuple(TYPE_SETTINGS)
GROUP_ITEM_TYPES = tuple(t for t in FIELD_TYPES if t not in ("file", "group", "info"))
CHOICE_TYPES = ("choice", "multichoice")


class EditError(ValueError):
    """An edit that cannot be made, e.g. a field key that is not in the document."""


def blank_document(slug: str, title: dict[str, str], category: str, department: str) -> dict:
    """A new service: its title, one empty step, and sensible defaults."""
    return {
        "slug": slug,
        "category": category,
        "title": dict(title),
        "summary": {},
        "who_can_apply": {},
        "what_you_need": {},
        "what_happens_next": {},
        "keywords": {language: [] for language in LANGUAGES},
        "handling_days": 21,
        "department": department,
        "retention_years": 10,
        "steps": [{"key": "step_1", "title": {}, "fields": []}],
    }


def make_key(label: str, taken: set[str], prefix: str = "field") -> str:
    """A stable key from a label: lower case ASCII with underscores, unique among `taken`."""
    text = label.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = KEY_CHARS.sub("_", text).strip("_")[:40].strip("_")
    if not base or not base[0].isalpha():
        base = f"{prefix}_{base}".strip("_")
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def all_keys(document: dict) -> set[str]:
    """Every field key, in steps and in groups."""
    return {f["key"] for f in _walk(document)}


def _walk(document: dict):
    for step in document.get("steps", []):
        for field in step.get("fields", []):
            yield field
            yield from field.get("fields", []) if field.get("type") == "group" else ()


def locate(document: dict, key: str) -> tuple[list[dict], int]:
    """The list that holds the field (a step's or a group's fields) and its place in it."""
    for step in document.get("steps", []):
        found = _locate_in(step.get("fields", []), key)
        if found:
            return found
    raise EditError(f"No field {key!r}")


def _locate_in(fields: list[dict], key: str) -> tuple[list[dict], int] | None:
    for i, field in enumerate(fields):
        if field.get("key") == key:
            return fields, i
        if field.get("type") == "group":
            found = _locate_in(field.get("fields", []), key)
            if found:
                return found
    return None


def find_field(document: dict, key: str) -> dict:
    fields, i = locate(document, key)
    return fields[i]


def step_index(document: dict, step_key: str) -> int:
    for i, step in enumerate(document.get("steps", [])):
        if step.get("key") == step_key:
            return i
    raise EditError(f"No step {step_key!r}")


def step_of(document: dict, key: str) -> int:
    """The index of the step that holds a field (directly or in a group)."""
    for i, step in enumerate(document.get("steps", [])):
        if _locate_in(step.get("fields", []), key):
            return i
    raise EditError(f"No field {key!r}")


def _move(items: list, i: int, delta: int) -> None:
    j = i + delta
    if not 0 <= j < len(items):
        raise EditError("Cannot move past the end")
    items[i], items[j] = items[j], items[i]


# Service


def update_service(document: dict, values: dict[str, Any]) -> dict:
    """Set texts and settings; a value of None removes an optional setting."""
    doc = copy.deepcopy(document)
    for name, value in values.items():
        if value is None or value == {}:
            doc.pop(name, None)
        else:
            doc[name] = value
    return doc


# Steps


def add_step(document: dict, title: dict[str, str]) -> dict:
    doc = copy.deepcopy(document)
    taken = {s.get("key") for s in doc["steps"]}
    key = make_key(title.get("nb") or title.get("nn") or title.get("en") or "", taken, "step")
    doc["steps"].append({"key": key, "title": dict(title), "fields": []})
    return doc


def update_step(document: dict, step_key: str, title: dict, intro: dict) -> dict:
    doc = copy.deepcopy(document)
    step = doc["steps"][step_index(doc, step_key)]
    step["title"] = dict(title)
    if any(intro.values()):
        step["intro"] = dict(intro)
    else:
        step.pop("intro", None)
    return doc


def remove_step(document: dict, step_key: str) -> dict:
    doc = copy.deepcopy(document)
    if len(doc["steps"]) == 1:
        raise EditError("A service keeps at least one step")
    del doc["steps"][step_index(doc, step_key)]
    return doc


def move_step(document: dict, step_key: str, delta: int) -> dict:
    doc = copy.deepcopy(document)
    _move(doc["steps"], step_index(doc, step_key), delta)
    return doc


# Fields


def add_field(
    document: dict, step_key: str, ftype: str, label: dict[str, str], group: str | None = None
) -> tuple[dict, str]:
    """Add a field at the end of a step (or of a repeating group); return it and its key."""
    if ftype not in (GROUP_ITEM_TYPES if group else FIELD_TYPES):
        raise EditError(f"Unknown field type {ftype!r}")
    doc = copy.deepcopy(document)
    if group:
        target = find_field(doc, group)
        if target.get("type") != "group":
            raise EditError(f"{group!r} is not a repeating group")
        fields = target.setdefault("fields", [])
    else:
        fields = doc["steps"][step_index(doc, step_key)]["fields"]
    name = label.get("nb") or label.get("nn") or label.get("en") or ftype
    key = make_key(name, all_keys(doc))
    field: dict[str, Any] = {"key": key, "type": ftype, "label": dict(label)}
    if ftype in CHOICE_TYPES:
        field["options"] = []
    if ftype == "group":
        field["fields"] = []
    if ftype == "info":
        field["body"] = {}
    fields.append(field)
    return doc, key


def update_field(document: dict, key: str, values: dict[str, Any]) -> dict:
    """Set a field's label, help, required and its type's settings; None removes one."""
    doc = copy.deepcopy(document)
    field = find_field(doc, key)
    allowed = {"label", "help", "required", "prefill", *TYPE_SETTINGS[field["type"]]}
    for name, value in values.items():
        if name not in allowed:
            raise EditError(f"A {field['type']} field has no setting {name!r}")
        if value is None or value == {} or value is False and name != "required":
            field.pop(name, None)
        else:
            field[name] = value
    if not field.get("required"):
        field.pop("required", None)
    return doc


def rename_key(document: dict, key: str, new_key: str) -> dict:
    """Change a field's key, and every condition that reads it."""
    doc = copy.deepcopy(document)
    field = find_field(doc, key)
    field["key"] = new_key
    for other in _walk(doc):
        if "show_if" in other:
            other["show_if"] = _rename_var(other["show_if"], key, new_key)
    return doc


def _rename_var(node: Any, old: str, new: str) -> Any:
    if isinstance(node, list):
        return [_rename_var(item, old, new) for item in node]
    if isinstance(node, dict):
        if set(node) == {"var"} and node["var"] == old:
            return {"var": new}
        return {op: _rename_var(arg, old, new) for op, arg in node.items()}
    return node


def set_options(document: dict, key: str, options: list[dict]) -> dict:
    doc = copy.deepcopy(document)
    field = find_field(doc, key)
    if field["type"] not in CHOICE_TYPES:
        raise EditError(f"{key!r} has no options")
    field["options"] = [{"value": o["value"], "label": dict(o["label"])} for o in options]
    return doc


def set_condition(document: dict, key: str, condition: dict | None) -> dict:
    doc = copy.deepcopy(document)
    field = find_field(doc, key)
    if condition:
        field["show_if"] = condition
    else:
        field.pop("show_if", None)
    return doc


def remove_field(document: dict, key: str) -> dict:
    doc = copy.deepcopy(document)
    fields, i = locate(doc, key)
    del fields[i]
    return doc


def move_field(document: dict, key: str, delta: int) -> dict:
    """Move a field up (-1) or down (+1) within its step or group."""
    doc = copy.deepcopy(document)
    fields, i = locate(doc, key)
    _move(fields, i, delta)
    return doc


def move_field_to_step(document: dict, key: str, step_key: str) -> dict:
    """Move a field (not one inside a group) to the end of another step."""
    doc = copy.deepcopy(document)
    target = doc["steps"][step_index(doc, step_key)]["fields"]
    fields, i = locate(doc, key)
    if not any(fields is s["fields"] for s in doc["steps"]):
        raise EditError("A field inside a repeating group stays in its group")
    target.append(fields.pop(i))
    return doc


def duplicate_field(document: dict, key: str) -> tuple[dict, str]:
    """Copy a field right after itself, with a new key (a group's fields get new keys too)."""
    doc = copy.deepcopy(document)
    fields, i = locate(doc, key)
    twin = copy.deepcopy(fields[i])
    taken = all_keys(doc)
    twin["key"] = make_key(key, taken)
    taken.add(twin["key"])
    for inner in twin.get("fields", []) if twin.get("type") == "group" else []:
        inner["key"] = make_key(inner["key"], taken)
        taken.add(inner["key"])
    fields.insert(i + 1, twin)
    return doc, twin["key"]


# Decision letters


def set_decision_template(document: dict, outcome: str, title: dict, body: dict) -> dict:
    """Set or (with empty texts) remove the letter template for one outcome."""
    doc = copy.deepcopy(document)
    templates = doc.setdefault("decision_templates", {})
    if any(title.values()) or any(body.values()):
        templates[outcome] = {"title": dict(title), "body": dict(body)}
    else:
        templates.pop(outcome, None)
    if not templates:
        doc.pop("decision_templates")
    return doc
