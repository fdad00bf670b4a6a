"""Three-way merge for adopted services: take the origin's new version, keep local adjustments.

`base` is the origin's version the adopter last took, `theirs` the origin's new version and
`ours` the adopter's current document. Things are matched by identity: steps and fields by key
(a field may move between steps), options by value, top-level settings by name, each language
of a text on its own, and the order of steps, of the fields in a step and of options as values
of their own. Where the adopter left a value as it was, the origin's new value is taken; where
the origin left it, the adopter's is kept; where both changed it differently, the adopter's is
kept and the conflict reported.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from servicetorg.catalog.builder.diff import (
    FIELD_SETTINGS,
    FIELD_TEXTS,
    SERVICE_SETTINGS,
    SERVICE_TEXTS,
    show,
)
from servicetorg.catalog.builder.wording import (
    LANGUAGES,
    OUTCOMES,
    describe_condition,
    field_name,
    fields_of,
    language_name,
    step_name,
    steps_of,
    text_of,
)

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()
STEP = "_step"  # the key of the step a field is in, while fields are merged on their own
# Lists merged by the identity of their items; every other list is one value.
KEYED = {"options": "value", "fields": "key"}
ATOMIC = {"show_if"}
NAMES = {
    **SERVICE_TEXTS,
    **SERVICE_SETTINGS,
    **FIELD_TEXTS,
    **FIELD_SETTINGS,
    **OUTCOMES,
    "fee": gettext_noop("Fee"),
    "amount_nok": gettext_noop("Fee in kroner"),
    "text": gettext_noop("Text"),
    "keywords": gettext_noop("Search words"),
    "show_if": gettext_noop("Condition"),
    "options": gettext_noop("Options"),
    "intro": gettext_noop("Introduction"),
    "decision_templates": gettext_noop("Decision letters"),
    "fields": gettext_noop("Fields"),
    STEP: gettext_noop("Step"),
}


@dataclass(frozen=True)
class Conflict:
    """A value both sides changed differently; the adopter's (`ours`) was kept."""

    where: str
    what: str
    base: str
    theirs: str
    ours: str


@dataclass
class MergeResult:
    """The merged document and, in plain words, what was taken, kept and in conflict."""

    document: dict
    taken: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def merge(base: dict, theirs: dict, ours: dict) -> MergeResult:
    """Merge the origin's change from `base` to `theirs` into the adopter's `ours`."""
    result = MergeResult(document={})
    merger = _Merger(result, theirs, ours)
    if all(_well_formed(d) for d in (base, theirs, ours)):
        result.document = merger.document(base, theirs, ours)
    else:
        result.document = merger.value(_("The service"), "", base, theirs, ours, "")
    return result


def _well_formed(document: Any) -> bool:
    """Whether steps and fields have keys, each used once, so they can be matched by key."""
    if not isinstance(document, dict) or not isinstance(document.get("steps"), list):
        return False
    steps = document["steps"]
    if not all(isinstance(s, dict) and isinstance(s.get("fields", []), list) for s in steps):
        return False
    step_keys = [s.get("key") for s in steps]
    field_keys = [
        f.get("key") if isinstance(f, dict) else None for s in steps for f in s.get("fields", [])
    ]
    return all(_unique_keys(keys) for keys in (step_keys, field_keys))


def _unique_keys(keys: list) -> bool:
    return all(isinstance(k, str) for k in keys) and len(set(keys)) == len(keys)


def _name(key: str) -> str:
    if key in LANGUAGES:
        return language_name(key)
    return _(NAMES[key]) if key in NAMES else key


class _Merger:
    """Walks the three documents together and writes what it decides into `result`."""

    def __init__(self, result: MergeResult, theirs: dict, ours: dict) -> None:
        self.result = result
        self.theirs, self.ours = theirs, ours

    def value(self, where: str, what: str, base: Any, theirs: Any, ours: Any, key: str) -> Any:
        """The merged value of one thing, recursing into dicts and keyed lists."""
        if ours == theirs:
            return ours
        if key not in ATOMIC and _all(dict, base, theirs, ours):
            return self.mapping(where, what, {} if base is MISSING else base, theirs, ours)
        if key in KEYED and _all(list, base, theirs, ours):
            old = [] if base is MISSING else base
            items = self.keyed(where, what, old, theirs, ours, KEYED[key])
            if items is not None:
                return items
        if ours == base:
            self.result.taken.append(_report(where, what, base, theirs))
            return theirs
        if theirs == base:
            self.result.kept.append(_report(where, what, base, ours))
            return ours
        self.conflict(where, what, base, theirs, ours, key)
        return ours

    def conflict(self, where: str, what: str, base: Any, theirs: Any, ours: Any, key: str) -> None:
        shown = [
            self.show(v, key, doc)
            for v, doc in ((base, self.ours), (theirs, self.theirs), (ours, self.ours))
        ]
        self.result.conflicts.append(Conflict(where, what or _("Everything"), *shown))

    def show(self, value: Any, key: str, document: dict) -> str:
        if value is MISSING:
            return _("(not there)")
        if key == "show_if":
            return describe_condition(value, document, get_language() or "nb")
        if isinstance(value, dict) and ("key" in value or "label" in value):
            return field_name(value)
        if isinstance(value, dict):
            return text_of(value) or ", ".join(map(str, value))
        return show(value)

    def mapping(self, where: str, what: str, base: dict, theirs: dict, ours: dict) -> dict:
        merged = {}
        for key in [
            *ours,
            *(k for k in theirs if k not in ours),
            *(k for k in base if k not in ours and k not in theirs),
        ]:
            inner = " › ".join(filter(None, (what, _name(key))))
            value = self.value(
                where,
                inner,
                base.get(key, MISSING),
                theirs.get(key, MISSING),
                ours.get(key, MISSING),
                key,
            )
            if value is not MISSING:
                merged[key] = value
        return merged

    def keyed(
        self, where: str, what: str, base: list, theirs: list, ours: list, id_key: str
    ) -> list | None:
        """Merge lists of options or group fields by their value or key; None if they have none."""
        maps = [_by_id(items, id_key) for items in (base, theirs, ours)]
        if any(m is None for m in maps):
            return None
        b, t, o = maps
        merged = {}
        for item_id in _union(o, t, b):
            place = _("%(place)s › «%(item)s»") % {"place": where, "item": _label(o, t, b, item_id)}
            value = self.value(
                place,
                "",
                b.get(item_id, MISSING),
                t.get(item_id, MISSING),
                o.get(item_id, MISSING),
                "",
            )
            if value is not MISSING:
                merged[item_id] = value
        order = self.order(
            where,
            " › ".join(filter(None, (what, _("Order")))),
            list(b),
            list(t),
            list(o),
            set(merged),
        )
        return [merged[item_id] for item_id in order]

    def order(
        self, where: str, what: str, base: list, theirs: list, ours: list, survivors: set
    ) -> list:
        """Merge the order of the items all three have, then place the others after a neighbour."""
        common = set(base) & set(theirs) & set(ours)
        relative = [[i for i in ids if i in common] for ids in (base, theirs, ours)]
        chosen = self.value(where, what, *relative, "")
        result = [i for i in chosen if i in survivors]
        for source in (ours, theirs, base):
            for position, item_id in enumerate(source):
                if item_id in survivors and item_id not in result:
                    before = next((p for p in reversed(source[:position]) if p in result), None)
                    result.insert(0 if before is None else result.index(before) + 1, item_id)
        return result

    def document(self, base: dict, theirs: dict, ours: dict) -> dict:
        """Merge settings and texts, then fields on their own, then steps and their order."""
        versions = [_split(d) for d in (base, theirs, ours)]
        top = self.mapping(_("The service"), "", *(v[0] for v in versions))
        fields = {}
        for key in _union(*(v[2] for v in reversed(versions))):
            place = _("Field «%(field)s»") % {
                "field": _label(*(v[2] for v in reversed(versions)), key)
            }
            value = self.value(place, "", *(v[2].get(key, MISSING) for v in versions), "")
            if value is not MISSING:
                fields[key] = value
        steps = self.steps(versions, fields)
        merged = {**top, "steps": steps}
        order = [k for k in ours if k in merged] + [k for k in merged if k not in ours]
        return {k: merged[k] for k in order}

    def steps(self, versions: list, fields: dict) -> list[dict]:
        steps = {}
        for key in _union(*(v[1] for v in reversed(versions))):
            place = _("Step «%(step)s»") % {
                "step": _label(*(v[1] for v in reversed(versions)), key)
            }
            value = self.value(place, "", *(v[1].get(key, MISSING) for v in versions), "")
            if value is not MISSING:
                steps[key] = value
        for key in {f[STEP] for f in fields.values()} - set(steps):
            # A step the origin removed still holds a field the adopter added or changed.
            step = next(v[1][key] for v in reversed(versions) if key in v[1])
            place = _("Step «%(step)s»") % {"step": step_name(step, 0)}
            self.result.conflicts.append(
                Conflict(place, _("Step"), step_name(step, 0), _("(not there)"), step_name(step, 0))
            )
            steps[key] = step
        order = self.order(
            _("The service"), _("Order of the steps"), *(list(v[1]) for v in versions), set(steps)
        )
        return [self.step(key, steps[key], versions, fields) for key in order]

    def step(self, key: str, step: dict, versions: list, fields: dict) -> dict:
        mine = {k for k, f in fields.items() if f[STEP] == key}
        place = _("Step «%(step)s»") % {"step": step_name(step, 0)}
        lists = [[k for k, f in v[2].items() if f[STEP] == key] for v in versions]
        order = self.order(place, _("Order of the fields"), *lists, mine)
        return {
            **step,
            "fields": [{k: v for k, v in fields[f].items() if k != STEP} for f in order],
        }


def _split(document: dict) -> tuple[dict, dict, dict]:
    """Settings and texts; steps without their fields; fields with the key of their step."""
    top = {k: v for k, v in document.items() if k != "steps"}
    steps = {
        s["key"]: {k: v for k, v in s.items() if k != "fields"} for _i, s in steps_of(document)
    }
    fields = {f["key"]: {**f, STEP: s["key"]} for _i, s in steps_of(document) for f in fields_of(s)}
    return top, steps, fields


def _by_id(items: list, id_key: str) -> dict | None:
    if not all(isinstance(i, dict) for i in items):
        return None
    ids = [i.get(id_key) for i in items]
    if not all(isinstance(i, str) for i in ids) or len(set(ids)) != len(ids):
        return None
    return dict(zip(ids, items, strict=True))


def _all(kind: type, base: Any, theirs: Any, ours: Any) -> bool:
    """Whether both sides are of `kind`, and the base too unless both added it."""
    return all(isinstance(v, kind) for v in (theirs, ours)) and (
        base is MISSING or isinstance(base, kind)
    )


def _union(*maps: dict) -> list:
    return list(dict.fromkeys(k for m in maps for k in m))


def _label(*args: Any) -> str:
    *maps, item_id = args
    item = next((m[item_id] for m in maps if item_id in m), {})
    return text_of(item.get("label")) or text_of(item.get("title")) or str(item_id)


def _report(where: str, what: str, before: Any, after: Any) -> str:
    place = " › ".join(filter(None, (where, what)))
    if after is MISSING:
        return _("%(place)s: removed") % {"place": place}
    if before is MISSING:
        return _("%(place)s: added") % {"place": place}
    return place
