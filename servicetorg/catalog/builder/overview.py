"""What the builder's overview page shows of a draft: its steps and fields, in the staff
member's language, each with the problems that stand in the way of publishing."""

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext_lazy as _

from servicetorg.catalog.builder import actions, edits, guards
from servicetorg.catalog.builder.wording import describe_condition
from servicetorg.catalog.definitions import Definition
from servicetorg.catalog.models import Service, ServiceDraft

TYPE_NAMES = {
    "text": _("Short text"),
    "textarea": _("Long text"),
    "integer": _("Whole number"),
    "decimal": _("Decimal number"),
    "amount": _("Amount in kroner"),
    "date": _("Date"),
    "yesno": _("Yes or no"),
    "choice": _("One of several"),
    "multichoice": _("Several of several"),
    "email": _("E-mail address"),
    "phone": _("Phone number"),
    "fnr": _("National identity number"),
    "orgnr": _("Organisation number"),
    "address": _("Address"),
    "property": _("Property (gnr/bnr)"),
    "file": _("Attachment"),
    "consent": _("Confirmation checkbox"),
    "info": _("Information text"),
    "group": _("Repeating group"),
}


def overview_context(service: Service, draft: ServiceDraft, language: str) -> dict[str, Any]:
    document = draft.document
    problems = actions.publish_problems(service, document)
    by_field: dict[str, list] = defaultdict(list)
    by_step: dict[int, list] = defaultdict(list)
    for problem in problems:
        if problem.field:
            by_field[problem.field].append(problem)
        elif problem.step is not None:
            by_step[problem.step].append(problem)
    published = service.published_version
    return {
        "service": service,
        "draft": draft,
        "document": document,
        "title": Definition.text(document.get("title"), language) or service.slug,
        "summary": Definition.text(document.get("summary"), language),
        "steps": [
            _step(document, i, step, language, by_field, by_step[i])
            for i, step in enumerate(document.get("steps", []))
        ],
        "problems": problems,
        "service_problems": [p for p in problems if p.field is None and p.step is None],
        "missing": guards.missing_translations(document),
        "published": published,
        "unpublished_changes": published is None or published.document != document,
        "upstream": actions.upstream_version(service),
        "type_choices": list(TYPE_NAMES.items()),
        "group_type_choices": [
            (t, n) for t, n in TYPE_NAMES.items() if t in edits.GROUP_ITEM_TYPES
        ],
        "step_choices": [
            (s.get("key"), Definition.text(s.get("title"), language) or s.get("key"))
            for s in document.get("steps", [])
        ],
    }


def _step(document, index, step, language, by_field, step_problems) -> dict[str, Any]:
    return {
        "index": index,
        "number": index + 1,
        "key": step.get("key"),
        "title": Definition.text(step.get("title"), language),
        "problems": step_problems,
        "fields": [_field(document, f, language, by_field) for f in step.get("fields", [])],
    }


def _field(document, field, language, by_field) -> dict[str, Any]:
    condition = field.get("show_if")
    return {
        "key": field["key"],
        "label": Definition.text(field.get("label"), language),
        "type": field.get("type"),
        "type_name": TYPE_NAMES.get(field.get("type"), field.get("type")),
        "required": field.get("required", False),
        "condition": describe_condition(condition, document, language) if condition else "",
        "prefill": field.get("prefill", ""),
        "problems": by_field.get(field["key"], []),
        "children": [
            _field(document, child, language, by_field)
            for child in (field.get("fields") or [] if field.get("type") == "group" else [])
        ],
    }
