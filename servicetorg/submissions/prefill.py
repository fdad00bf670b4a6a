"""Fill in what the public sector already knows ("kun én gang").

When a draft starts, the registers are asked once for the fields whose definition names a
prefill source. The answers become the draft's first answers, and what was fetched (values,
the register each came from, the children to choose among, and which registers did not answer)
is kept on the draft, so every later page shows the same thing without asking again.
"""

import logging
from typing import Any

from django.utils import formats

from servicetorg.catalog.definitions import Definition
from servicetorg.identity.population import ContactInfo
from servicetorg.identity.registers import (
    ChildRecord,
    PersonRecord,
    RegisterUnavailable,
    contact_register,
    person_register,
)

log = logging.getLogger("servicetorg.prefill")
FOLKEREGISTERET = "folkeregisteret"
KRR = "krr"
REGISTER_OF = {"person": FOLKEREGISTERET, "household": FOLKEREGISTERET, "contact": KRR}


def fields_with_prefill(definition: Definition) -> list[dict]:
    return [f for f in definition.fields.values() if f.get("prefill")]


def fetch_prefill(definition: Definition, pid: str) -> dict[str, Any]:
    """Ask the registers the definition needs; a register that does not answer is noted."""
    fields = fields_with_prefill(definition)
    wanted = {REGISTER_OF[f["prefill"].split(".")[0]] for f in fields}
    person, contact, unavailable = None, None, []
    if FOLKEREGISTERET in wanted:
        person = _ask(FOLKEREGISTERET, lambda: person_register().person(pid), unavailable)
    if KRR in wanted:
        contact = _ask(KRR, lambda: contact_register().contact(pid), unavailable)
    prefill: dict[str, Any] = {
        "values": {},
        "sources": {},
        "options": {},
        "unavailable": unavailable,
    }
    for field in fields:
        _resolve(field, pid, person, contact, prefill)
    return prefill


def _ask(register: str, call, unavailable: list[str]):
    try:
        return call()
    except RegisterUnavailable:
        log.warning("register unavailable register=%s", register)
        unavailable.append(register)
        return None


def _resolve(
    field: dict, pid: str, person: PersonRecord | None, contact: ContactInfo | None, prefill: dict
) -> None:
    source = field["prefill"]
    key = field["key"]
    if source == "household.children":
        if person is not None:
            _children(field, person.children, prefill)
        return
    value = _value(source, pid, person, contact)
    if value not in (None, "", {}):
        prefill["values"][key] = value
        prefill["sources"][key] = REGISTER_OF[source.split(".")[0]]


def _value(source: str, pid: str, person: PersonRecord | None, contact: ContactInfo | None) -> Any:
    if source.startswith("contact."):
        return getattr(contact, source.split(".")[1], None) if contact else None
    if person is None:
        return None
    if source == "person.address":
        address = person.address
        return (
            {"street": address.street, "postal_code": address.postal_code, "place": address.place}
            if address.street
            else None
        )
    return {
        "person.name": person.name,
        "person.fnr": pid,
        "person.birth_date": person.birth_date.isoformat(),
    }.get(source)


def _children(field: dict, children: list[ChildRecord], prefill: dict) -> None:
    """Children become choices of a choice field, or rows of a repeating group."""
    key = field["key"]
    if field["type"] == "choice":
        prefill["options"][key] = [{"value": c.pid, "label": _child_label(c)} for c in children]
    elif field["type"] == "group" and children:
        rows = [_child_row(field, c) for c in children[: field.get("max_items", 10)]]
        prefill["values"][key] = rows
    if children:
        prefill["sources"][key] = FOLKEREGISTERET


def _child_label(child: ChildRecord) -> dict[str, str]:
    born = formats.date_format(child.birth_date, "d.m.Y")
    return {
        "nb": f"{child.name} (født {born})",
        "nn": f"{child.name} (fødd {born})",
        "en": f"{child.name} (born {born})",
    }


def _child_row(field: dict, child: ChildRecord) -> dict[str, Any]:
    """Fill the group's name, identity number and birth date fields from the child."""
    by_type = {"text": child.name, "fnr": child.pid, "date": child.birth_date.isoformat()}
    row: dict[str, Any] = {}
    for sub_type, value in by_type.items():
        sub = next((s for s in field["fields"] if s["type"] == sub_type), None)
        if sub is not None:
            row[sub["key"]] = value
    return row


def with_prefill(definition: Definition, prefill: dict[str, Any] | None) -> Definition:
    """The definition as this draft sees it: children as choices, prefilled fields marked."""
    if not prefill:
        return definition
    document = dict(definition.data)
    document["steps"] = [
        {**step, "fields": [_mark(f, prefill) for f in step["fields"]]} for step in definition.steps
    ]
    return Definition(document)


def _mark(field: dict, prefill: dict[str, Any]) -> dict:
    key = field["key"]
    marked = field
    if key in prefill.get("options", {}):
        marked = {**marked, "options": prefill["options"][key] + list(field.get("options", []))}
    if key in prefill.get("sources", {}):
        marked = {**marked, "_source": prefill["sources"][key]}
        if key in prefill.get("values", {}) and field.get("prefill_editable") is False:
            marked["_locked"] = prefill["values"][key]
    elif field.get("prefill") and REGISTER_OF[field["prefill"].split(".")[0]] in prefill.get(
        "unavailable", []
    ):
        marked = {**marked, "_unavailable": REGISTER_OF[field["prefill"].split(".")[0]]}
    return marked
