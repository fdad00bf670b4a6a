"""The form engine: read, clean and render one step of a service definition.

Answers are a flat dict by field key for the whole application. A step is cleaned field by
field, in order, so a condition on an earlier field of the same step sees the new answer.
Hidden fields are neither validated nor stored.
"""

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from servicetorg.catalog.conditions import holds
from servicetorg.catalog.definitions import Definition
from servicetorg.catalog.fieldtypes import Ctx, field_type


@dataclass
class StepResult:
    """What reading a posted step gave: the answers, the errors and what to show again."""

    answers: dict[str, Any]
    raw: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    appeared: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors and not self.appeared


def visible_fields(fields: list[dict], answers: dict[str, Any]) -> list[dict]:
    return [f for f in fields if holds(f.get("show_if"), answers)]


def read_step(
    definition: Definition,
    index: int,
    answers: dict[str, Any],
    data: QueryDict,
    attachments: dict[str, list] | None = None,
) -> StepResult:
    """Clean the posted values of step `index` on top of the answers so far."""
    result = StepResult(answers=dict(answers))
    shown = set(data.get("_shown", "").split(","))
    for f in definition.steps[index]["fields"]:
        key = f["key"]
        if not holds(f.get("show_if"), result.answers):
            result.answers.pop(key, None)
            continue
        if key not in shown and f["type"] != "info":
            result.appeared.append(key)
        if f["type"] == "group":
            _read_group(f, data, result)
            continue
        ftype = field_type(f)
        if "_locked" in f:
            # A value from the register that the service does not let the resident change.
            raw = ftype.raw_from_value(f, f["_locked"])
        elif f["type"] == "file":
            raw = (attachments or {}).get(key, [])
        else:
            raw = ftype.raw_from_post(f, data, key)
        result.raw[key] = raw
        _store(result, key, key, partial(ftype.clean, f, raw))
    return result


def _store(result: StepResult, key: str, name: str, clean) -> None:
    try:
        value = clean()
    except ValidationError as error:
        result.errors[name] = error.messages[0]
        result.answers.pop(key, None)
        return
    if value is None:
        result.answers.pop(key, None)
    else:
        result.answers[key] = value


def group_count(f: dict, data: QueryDict) -> int:
    try:
        count = int(data.get(f"{f['key']}-count", "0"))
    except ValueError:
        count = 0
    return max(0, min(count, f.get("max_items", 10)))


def _read_group(f: dict, data: QueryDict, result: StepResult) -> None:
    key = f["key"]
    rows_raw: list[dict] = []
    rows: list[dict] = []
    for i in range(group_count(f, data)):
        row_raw = {
            s["key"]: field_type(s).raw_from_post(s, data, f"{key}-{i}-{s['key']}")
            for s in f["fields"]
        }
        if all(
            field_type(s).is_empty(v) for s, v in zip(f["fields"], row_raw.values(), strict=True)
        ):
            continue  # a blank row is dropped, not an error
        row_index = len(rows_raw)
        rows_raw.append(row_raw)
        row: dict[str, Any] = {}
        for s in visible_fields(f["fields"], {**result.answers, **row_raw}):
            name = f"{key}-{row_index}-{s['key']}"
            try:
                value = field_type(s).clean(s, row_raw[s["key"]])
            except ValidationError as error:
                result.errors[name] = error.messages[0]
                continue
            if value is not None:
                row[s["key"]] = value
        rows.append(row)
    result.raw[key] = rows_raw
    _store(result, key, key, partial(_check_group_size, f, rows))


def _check_group_size(f: dict, rows: list[dict]) -> list[dict] | None:
    least = f.get("min_items", 0) or (1 if f.get("required") else 0)
    if len(rows) < least:
        raise ValidationError(_("Add at least %(n)d.") % {"n": least})
    if len(rows) > f.get("max_items", 10):
        raise ValidationError(_("Add at most %(n)d.") % {"n": f.get("max_items", 10)})
    return rows or None


def raw_from_answers(fields: list[dict], answers: dict[str, Any]) -> dict[str, Any]:
    """The raw form values that show stored answers again."""
    raw: dict[str, Any] = {}
    for f in fields:
        value = answers.get(f["key"])
        if f["type"] == "group":
            raw[f["key"]] = [
                {s["key"]: field_type(s).raw_from_value(s, row.get(s["key"])) for s in f["fields"]}
                for row in value or []
            ]
        else:
            raw[f["key"]] = field_type(f).raw_from_value(f, value)
    return raw


def render_fields(
    fields: list[dict],
    answers: dict[str, Any],
    raw: dict[str, Any],
    errors: dict[str, str],
    lang: str,
) -> SafeString:
    """Render the visible fields of a step; `raw` holds what to show in each input."""
    parts = []
    for f in visible_fields(fields, answers):
        if f["type"] == "group":
            parts.append(render_group(f, raw.get(f["key"]) or [], errors, lang))
        else:
            ctx = Ctx(f, f["key"], raw.get(f["key"], ""), errors.get(f["key"]), lang)
            parts.append(field_type(f).render(ctx))
    return mark_safe("".join(parts))


def render_group(f: dict, rows: list[dict], errors: dict[str, str], lang: str) -> SafeString:
    key = f["key"]
    item_label = Definition.text(f.get("item_label"), lang) or _("Item")
    count = max(len(rows), f.get("min_items", 0))
    rows = rows + [{}] * (count - len(rows))
    rendered = format_html_join(
        "",
        '<fieldset class="ds-fieldset group-row"><legend class="ds-label">{} {}</legend>{}{}</fieldset>',
        (
            (
                item_label,
                i + 1,
                _render_row(f, i, row, errors, lang),
                _remove_button(key, i, item_label),
            )
            for i, row in enumerate(rows)
        ),
    )
    ctx = Ctx(f, key, rows, errors.get(key), lang)
    add = ""
    if len(rows) < f.get("max_items", 10):
        add = format_html(
            '<button class="ds-button" data-variant="secondary" type="submit" name="_action" value="add-row:{}">{} {}</button>',
            key,
            _("Add"),
            item_label.lower(),
        )
    body = format_html(
        '{}<input type="hidden" name="{}-count" value="{}">{}', rendered, key, len(rows), add
    )
    return format_html(
        '<fieldset class="ds-fieldset field group" data-key="{}" id="{}"><legend class="ds-label">{}</legend>{}{}</fieldset>',
        key,
        ctx.id,
        ctx.label_text(),
        ctx.help_and_error(),
        body,
    )


def _render_row(f: dict, i: int, row: dict, errors: dict[str, str], lang: str) -> SafeString:
    parts = []
    for s in f["fields"]:
        name = f"{f['key']}-{i}-{s['key']}"
        parts.append(
            field_type(s).render(Ctx(s, name, row.get(s["key"], ""), errors.get(name), lang))
        )
    return mark_safe("".join(parts))


def _remove_button(key: str, i: int, item_label: str) -> SafeString:
    return format_html(
        '<button class="ds-button" data-variant="tertiary" data-size="sm" type="submit" name="_action" value="remove-row:{}:{}">{} {} {}</button>',
        key,
        i,
        _("Remove"),
        item_label.lower(),
        i + 1,
    )


def error_summary_items(
    fields: list[dict], errors: dict[str, str], lang: str
) -> list[tuple[str, str]]:
    """(anchor id, message) for each error, in the order the fields are shown."""
    labels = {f["key"]: Definition.text(f.get("label"), lang) for f in fields}
    items = []
    for name, message in errors.items():
        key = name.split("-")[0]
        items.append((f"id_{name}", f"{labels.get(key, '')}: {message}"))
    return items


def answer_rows(
    definition: Definition, index: int, answers: dict[str, Any], lang: str
) -> list[dict]:
    """The answers of one step as label/value rows, for the review page and the receipt."""
    rows = []
    for f in visible_fields(definition.steps[index]["fields"], answers):
        if f["type"] == "info":
            continue
        label = Definition.text(f["label"], lang)
        value = answers.get(f["key"])
        if f["type"] == "group":
            rows.append(
                {
                    "label": label,
                    "value": "",
                    "key": f["key"],
                    "entries": _group_items(f, value, lang),
                }
            )
        else:
            rows.append(
                {"label": label, "value": field_type(f).display(f, value, lang), "key": f["key"]}
            )
    return rows


def _group_items(f: dict, rows: list[dict] | None, lang: str) -> list[str]:
    items = []
    for row in rows or []:
        values = [field_type(s).display(s, row.get(s["key"]), lang) for s in f["fields"]]
        items.append(", ".join(v for v in values if v))
    return items


def prune(definition: Definition, answers: dict[str, Any]) -> dict[str, Any]:
    """Only the answers of fields that are shown, in definition order."""
    kept: dict[str, Any] = {}
    for step in definition.steps:
        for f in step["fields"]:
            if f["key"] in answers and holds(f.get("show_if"), kept):
                kept[f["key"]] = answers[f["key"]]
    return kept


def first_incomplete_step(definition: Definition, answers: dict[str, Any]) -> int | None:
    """The first step with a required, shown field left unanswered."""
    for index, step in enumerate(definition.steps):
        for f in visible_fields(step["fields"], answers):
            if (
                f.get("required")
                and f["type"] != "info"
                and answers.get(f["key"]) in (None, "", [])
            ):
                return index
    return None


def answer_sections(definition: Definition, answers: dict[str, Any], lang: str) -> list[dict]:
    """Every step's answers, for the review page, the receipt and the case."""
    return [
        {
            "number": i + 1,
            "title": Definition.text(s["title"], lang),
            "rows": answer_rows(definition, i, answers, lang),
        }
        for i, s in enumerate(definition.steps)
    ]
