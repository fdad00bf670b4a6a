"""The difference between two versions of a service, in words a service owner reads.

Steps and fields are matched by key, options by value, so a relabelled field is a changed label,
not a field removed and another added. Texts are compared per language. Nothing here names a
path in the JSON; places are «Step "The child" › field "School"».
"""

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, gettext_noop, override
from django.utils.translation import gettext as _

from servicetorg.catalog.builder.wording import (
    LANGUAGES,
    OUTCOMES,
    describe_condition,
    field_name,
    fields_of,
    language_name,
    options_of,
    step_name,
    steps_of,
    text_of,
)

SERVICE_TEXTS = {
    "title": gettext_noop("Title"),
    "summary": gettext_noop("Summary"),
    "who_can_apply": gettext_noop("Who can apply"),
    "what_you_need": gettext_noop("What you need"),
    "what_happens_next": gettext_noop("What happens next"),
}
SERVICE_SETTINGS = {
    "slug": gettext_noop("Web address name"),
    "category": gettext_noop("Category"),
    "handling_days": gettext_noop("Handling time in days"),
    "department": gettext_noop("Department"),
    "retention_years": gettext_noop("Retention time in years"),
    "assurance": gettext_noop("Login level"),
}
FIELD_TEXTS = {
    "label": gettext_noop("Label"),
    "help": gettext_noop("Help text"),
    "pattern_message": gettext_noop("Pattern message"),
    "body": gettext_noop("Text"),
    "item_label": gettext_noop("Item name"),
}
FIELD_SETTINGS = {
    "type": gettext_noop("Type"),
    "required": gettext_noop("Required"),
    "min": gettext_noop("Lowest value"),
    "max": gettext_noop("Highest value"),
    "min_length": gettext_noop("Fewest characters"),
    "max_length": gettext_noop("Most characters"),
    "pattern": gettext_noop("Pattern"),
    "decimals": gettext_noop("Decimals"),
    "widget": gettext_noop("Shown as"),
    "min_choices": gettext_noop("Fewest choices"),
    "max_choices": gettext_noop("Most choices"),
    "multiple": gettext_noop("Several files"),
    "max_files": gettext_noop("Most files"),
    "accept": gettext_noop("File types"),
    "max_size_mb": gettext_noop("Largest file in MB"),
    "prefill": gettext_noop("Filled in from"),
    "prefill_editable": gettext_noop("Filled-in answer can be changed"),
    "min_items": gettext_noop("Fewest items"),
    "max_items": gettext_noop("Most items"),
}


@dataclass(frozen=True)
class Change:
    """One difference: what kind, in which area, where, what, and the value before and after."""

    kind: str  # added, removed, changed, moved
    area: str  # service, step, field, rule, decision
    where: str
    what: str
    before: str = ""
    after: str = ""


def compare(old: dict, new: dict, language: str) -> list[Change]:
    """Every difference from `old` to `new`, worded in `language`."""
    with override(language):
        return [
            *_service_changes(old, new),
            *_step_changes(old, new),
            *_field_changes(old, new),
            *_template_changes(old, new),
        ]


def show(value: Any) -> str:
    """A setting's value as a service owner reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(show(v) for v in value)
    return str(value)


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _text(value: Any, code: str) -> str:
    entry = value.get(code) if isinstance(value, dict) else None
    if isinstance(entry, list):
        return ", ".join(str(word) for word in entry)
    return entry if isinstance(entry, str) else ""


def text_changes(area: str, where: str, what: str, old: Any, new: Any) -> Iterator[Change]:
    """One change per language in which a text differs."""
    for code in LANGUAGES:
        before, after = _text(old, code), _text(new, code)
        if before != after:
            kind = "added" if not before else "removed" if not after else "changed"
            label = _("%(text)s (%(language)s)") % {"text": what, "language": language_name(code)}
            yield Change(kind, area, where, label, before, after)


def _setting_changes(area: str, where: str, names: dict, old: dict, new: dict):
    for name, label in names.items():
        if old.get(name) != new.get(name):
            before, after = show(old.get(name)), show(new.get(name))
            yield Change(
                "changed", area, where, _(label), before or _("not set"), after or _("not set")
            )


def _service_changes(old: dict, new: dict) -> Iterator[Change]:
    where = _("The service")
    for name, label in SERVICE_TEXTS.items():
        yield from text_changes("service", where, _(label), old.get(name), new.get(name))
    yield from text_changes(
        "service", where, _("Search words"), old.get("keywords"), new.get("keywords")
    )
    yield from _setting_changes("service", where, SERVICE_SETTINGS, old, new)
    old_fee, new_fee = _dict(old.get("fee")), _dict(new.get("fee"))
    if old_fee.get("amount_nok") != new_fee.get("amount_nok"):
        before, after = show(old_fee.get("amount_nok") or 0), show(new_fee.get("amount_nok") or 0)
        yield Change("changed", "service", where, _("Fee in kroner"), before, after)
    yield from text_changes(
        "service", where, _("Fee text"), old_fee.get("text"), new_fee.get("text")
    )


def _keyed_steps(document: dict) -> dict[str, tuple[int, dict]]:
    return {
        s["key"]: (i, s) for i, s in reversed(steps_of(document)) if isinstance(s.get("key"), str)
    }


def step_place(step: dict, index: int) -> str:
    return _("Step «%(step)s»") % {"step": step_name(step, index)}


def _step_changes(old: dict, new: dict) -> Iterator[Change]:
    before, after = _keyed_steps(old), _keyed_steps(new)
    for key, (i, step) in before.items():
        if key not in after:
            yield Change("removed", "step", step_place(step, i), _("Step"), step_name(step, i), "")
    for key, (i, step) in after.items():
        where = step_place(step, i)
        if key not in before:
            yield Change("added", "step", where, _("Step"), "", step_name(step, i))
            continue
        j, was = before[key]
        yield from text_changes("step", where, _("Title"), was.get("title"), step.get("title"))
        yield from text_changes(
            "step", where, _("Introduction"), was.get("intro"), step.get("intro")
        )
    for key in _moved([k for k in before if k in after], [k for k in after if k in before]):
        i, step = after[key]
        yield Change(
            "moved",
            "step",
            step_place(step, i),
            _("Place in the form"),
            show(before[key][0] + 1),
            show(i + 1),
        )


def _moved(old_order: list[str], new_order: list[str]) -> list[str]:
    """The keys that changed place: those outside the longest common order of the two lists."""
    matcher = difflib.SequenceMatcher(a=old_order, b=new_order, autojunk=False)
    kept = {
        k
        for block in matcher.get_matching_blocks()
        for k in old_order[block.a : block.a + block.size]
    }
    return [k for k in new_order if k not in kept]


def _keyed_fields(document: dict) -> dict[str, tuple[int, dict]]:
    found: dict[str, tuple[int, dict]] = {}
    for i, step in steps_of(document):
        for field in fields_of(step):
            if isinstance(field.get("key"), str):
                found.setdefault(field["key"], (i, field))
    return found


def field_place(step: dict, index: int, field: dict) -> str:
    values = {"step": step_name(step, index), "field": field_name(field)}
    return _("Step «%(step)s» › field «%(field)s»") % values


def _field_changes(old: dict, new: dict) -> Iterator[Change]:
    before, after = _keyed_fields(old), _keyed_fields(new)
    old_steps, new_steps = dict(steps_of(old)), dict(steps_of(new))
    for key, (i, field) in before.items():
        if key not in after:
            where = field_place(old_steps[i], i, field)
            yield Change("removed", "field", where, _("Field"), field_name(field), "")
    for key, (i, field) in after.items():
        where = field_place(new_steps[i], i, field)
        if key not in before:
            yield Change("added", "field", where, _("Field"), "", field_name(field))
            continue
        j, was = before[key]
        if old_steps[j].get("key") != new_steps[i].get("key"):
            names = step_name(old_steps[j], j), step_name(new_steps[i], i)
            yield Change("moved", "field", where, _("Step"), *names)
        yield from _one_field(where, was, field, old, new)
    yield from _field_moves(before, after, old_steps, new_steps)


def _field_moves(before, after, old_steps, new_steps) -> Iterator[Change]:
    """Fields that changed place within a step that holds them in both versions."""
    for i, step in new_steps.items():
        mine = [f["key"] for f in fields_of(step) if isinstance(f.get("key"), str)]
        old_index = next((j for j, s in old_steps.items() if s.get("key") == step.get("key")), None)
        if old_index is None:
            continue
        theirs = [
            f["key"] for f in fields_of(old_steps[old_index]) if isinstance(f.get("key"), str)
        ]
        common_new = [k for k in mine if k in theirs]
        common_old = [k for k in theirs if k in mine]
        for key in _moved(common_old, common_new):
            where = field_place(step, i, after[key][1])
            before_place, after_place = common_old.index(key) + 1, common_new.index(key) + 1
            yield Change(
                "moved",
                "field",
                where,
                _("Place in the step"),
                show(before_place),
                show(after_place),
            )


def _one_field(where: str, old: dict, new: dict, old_doc: dict, new_doc: dict) -> Iterator[Change]:
    for name, label in FIELD_TEXTS.items():
        yield from text_changes("field", where, _(label), old.get(name), new.get(name))
    yield from _setting_changes("field", where, FIELD_SETTINGS, old, new)
    yield from _option_changes(where, options_of(old), options_of(new))
    if old.get("show_if") != new.get("show_if"):
        kind = (
            "added"
            if old.get("show_if") is None
            else "removed"
            if new.get("show_if") is None
            else "changed"
        )
        language = get_language() or "nb"
        before = describe_condition(old.get("show_if"), old_doc, language)
        after = describe_condition(new.get("show_if"), new_doc, language)
        yield Change(kind, "rule", where, _("Condition"), before, after)
    yield from _sub_changes(where, fields_of(old), fields_of(new), old_doc, new_doc)


def _sub_changes(where, old: list[dict], new: list[dict], old_doc, new_doc) -> Iterator[Change]:
    """Changes to the fields inside a repeating group."""
    before = {f["key"]: f for f in old if isinstance(f.get("key"), str)}
    after = {f["key"]: f for f in new if isinstance(f.get("key"), str)}
    for key, field in before.items():
        if key not in after:
            yield Change("removed", "field", where, _("Field in the group"), field_name(field), "")
    for key, field in after.items():
        place = _("%(group)s › field «%(field)s»") % {"group": where, "field": field_name(field)}
        if key not in before:
            yield Change("added", "field", where, _("Field in the group"), "", field_name(field))
        else:
            yield from _one_field(place, before[key], field, old_doc, new_doc)
    if [k for k in before if k in after] != [k for k in after if k in before]:
        yield Change(
            "moved",
            "field",
            where,
            _("Order of the fields in the group"),
            ", ".join(map(str, before)),
            ", ".join(map(str, after)),
        )


def _option_changes(where: str, old: list, new: list) -> Iterator[Change]:
    before = {o["value"]: o for o in old if isinstance(o.get("value"), str)}
    after = {o["value"]: o for o in new if isinstance(o.get("value"), str)}
    for value, option in before.items():
        if value not in after:
            yield Change(
                "removed",
                "field",
                where,
                _("Option"),
                text_of(option.get("label")) or show(value),
                "",
            )
    for value, option in after.items():
        label = text_of(option.get("label")) or show(value)
        if value not in before:
            yield Change("added", "field", where, _("Option"), "", label)
            continue
        what = _("Option «%(option)s»") % {"option": label}
        yield from text_changes(
            "field", where, what, before[value].get("label"), option.get("label")
        )
    if [v for v in before if v in after] != [v for v in after if v in before]:
        names = [text_of(o.get("label")) or show(v) for v, o in before.items() if v in after]
        new_names = [text_of(o.get("label")) or show(v) for v, o in after.items() if v in before]
        yield Change(
            "moved",
            "field",
            where,
            _("Order of the options"),
            ", ".join(names),
            ", ".join(new_names),
        )


def _template_changes(old: dict, new: dict) -> Iterator[Change]:
    before = _dict(old.get("decision_templates"))
    after = _dict(new.get("decision_templates"))
    for outcome in [*before, *(o for o in after if o not in before)]:
        where = _("Decision letter “%(outcome)s”") % {"outcome": _(OUTCOMES.get(outcome, outcome))}
        was, now = _dict(before.get(outcome)), _dict(after.get(outcome))
        if not was or not now:
            kind = "added" if now else "removed"
            title = text_of((now or was).get("title"))
            yield Change(
                kind,
                "decision",
                where,
                _("Decision letter"),
                "" if now else title,
                title if now else "",
            )
            continue
        yield from text_changes("decision", where, _("Title"), was.get("title"), now.get("title"))
        yield from text_changes("decision", where, _("Text"), was.get("body"), now.get("body"))
