"""Documents for the builder's tests: the starter services, and Hypothesis edits of them."""

import copy
import functools
from types import SimpleNamespace
from typing import Any

import yaml
from hypothesis import strategies as st

from servicetorg.catalog.definitions import starter_paths

LANGUAGES = ("nb", "nn", "en")


@functools.cache
def _starters() -> tuple[dict, ...]:
    return tuple(yaml.safe_load(p.read_text(encoding="utf-8")) for p in starter_paths())


def starters() -> list[dict]:
    """Fresh copies of every starter definition."""
    return copy.deepcopy(list(_starters()))


def starter(slug: str) -> dict:
    return next(d for d in starters() if d["slug"] == slug)


def text(value: str) -> dict:
    return {"nb": value, "nn": value, "en": value}


def field(key: str, kind: str = "text", **extra: Any) -> dict:
    return {"key": key, "type": kind, "label": text(key.replace("_", " ").title()), **extra}


def options(*values: str) -> list[dict]:
    return [{"value": v, "label": text(v.title())} for v in values]


def document(*steps: list[dict]) -> dict:
    """A small valid definition whose steps hold the fields given."""
    return {
        "slug": "test",
        "category": "family",
        "title": text("Test"),
        "summary": text("Summary"),
        "who_can_apply": text("Everyone"),
        "what_you_need": text("Nothing"),
        "what_happens_next": text("We reply"),
        "keywords": {code: ["test"] for code in LANGUAGES},
        "handling_days": 10,
        "department": "Oppvekst",
        "retention_years": 5,
        "steps": [
            {"key": f"step_{i}", "title": text(f"Step {i}"), "fields": fields}
            for i, fields in enumerate(steps)
        ],
    }


def _fields(doc: dict) -> list[dict]:
    return [f for s in doc["steps"] for f in s["fields"]]


def _pick(data: Any, items: list) -> Any:
    return items[data.draw(st.integers(0, len(items) - 1))]


def _relabel(doc: dict, data: Any) -> None:
    label = _pick(data, _fields(doc))["label"]
    label[data.draw(st.sampled_from(LANGUAGES))] = data.draw(st.text(min_size=0, max_size=8))


def _drop_language(doc: dict, data: Any) -> None:
    holder = data.draw(st.sampled_from(["title", "summary"]))
    doc[holder].pop(data.draw(st.sampled_from(LANGUAGES)), None)


def _remove_field(doc: dict, data: Any) -> None:
    step = _pick(data, doc["steps"])
    if step["fields"]:
        step["fields"].pop(data.draw(st.integers(0, len(step["fields"]) - 1)))


def _move_field(doc: dict, data: Any) -> None:
    source = _pick(data, doc["steps"])
    if source["fields"]:
        moved = source["fields"].pop(data.draw(st.integers(0, len(source["fields"]) - 1)))
        target = _pick(data, doc["steps"])["fields"]
        target.insert(data.draw(st.integers(0, len(target))), moved)


def _add_field(doc: dict, data: Any) -> None:
    kind = data.draw(st.sampled_from(["text", "yesno", "integer", "choice"]))
    key = data.draw(st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True))
    new = field(key, kind, **({"options": options("a", "b")} if kind == "choice" else {}))
    _pick(data, doc["steps"])["fields"].append(new)


def _condition(doc: dict, data: Any) -> None:
    target = _pick(data, _fields(doc))
    if target["type"] in ("group",):
        return
    other = _pick(data, _fields(doc))
    value = data.draw(st.sampled_from([True, "a", "other", 3, None]))
    op = data.draw(st.sampled_from(["==", "!=", ">", "in"]))
    right = [value] if op == "in" else value
    target["show_if"] = {op: [{"var": other.get("key", "x")}, right]}
    target["required"] = data.draw(st.booleans())


def _settings(doc: dict, data: Any) -> None:
    name = data.draw(st.sampled_from(["handling_days", "department", "fee", "slug"]))
    doc[name] = data.draw(st.sampled_from([0, 5, "", "Kultur", "Bad Slug", {"amount_nok": 250}]))


def _field_setting(doc: dict, data: Any) -> None:
    target = _pick(data, _fields(doc))
    name = data.draw(st.sampled_from(["required", "pattern", "max_size_mb", "options", "key"]))
    target[name] = data.draw(
        st.sampled_from([True, "[a-", "^[0-9]{4}$", 500, 5, [], options("x", "x"), "dup", "Bad"])
    )


def _wild(doc: dict, data: Any) -> None:
    """Replace some value anywhere with any JSON value."""
    holder: Any = doc
    while True:
        keys = list(holder) if isinstance(holder, dict) else list(range(len(holder)))
        if not keys:
            return
        key = _pick(data, keys)
        inner = holder[key]
        if not isinstance(inner, dict | list) or not inner or data.draw(st.booleans()):
            holder[key] = data.draw(json_values)
            return
        holder = inner


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
EDITS = [
    _relabel,
    _drop_language,
    _remove_field,
    _move_field,
    _add_field,
    _condition,
    _settings,
    _field_setting,
]


@st.composite
def edited(draw: st.DrawFn, wild: bool = False, most: int = 3) -> dict:
    """A starter definition with a few random edits."""
    doc = copy.deepcopy(draw(st.sampled_from(_starters())))
    data = SimpleNamespace(draw=draw)
    for _ in range(draw(st.integers(0, most))):
        edit = draw(st.sampled_from([*EDITS, _wild] if wild else EDITS))
        try:
            edit(doc, data)
        except (KeyError, TypeError, IndexError, AttributeError):
            pass  # an earlier wild edit left nothing this edit can work on
    return doc
