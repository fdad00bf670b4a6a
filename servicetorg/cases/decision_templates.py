"""Decision templates for a case: the service's own, or generic ones, filled in from the case.

The service's templates come from the definition version the application was submitted with,
so `{answer:…}` always names a field of the answers at hand. A service without a template for
an outcome gets a generic one; an appeal (klage) always gets the generic appeal texts.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from servicetorg.cases.decision_models import Outcome
from servicetorg.cases.models import Case
from servicetorg.catalog.definitions import Definition
from servicetorg.catalog.fieldtypes import field_type
from servicetorg.catalog.placeholders import ANSWER, fill

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class FilledTemplate:
    outcome: str
    title: str
    body: str


def letter_language(case: Case) -> str:
    """The applicant's language, else the municipality's."""
    return case.language if case.language in LANGUAGES else case.municipality.default_language


def fill_template(
    case: Case, outcome: str, language: str, today: date | None = None
) -> FilledTemplate:
    """The template for this outcome in this language, with the case's values filled in."""
    with translation.override(language):
        template = _service_template(case, outcome, language) or _generic_template(case, outcome)
        values = placeholder_values(case, language, today or timezone.localdate())
        return FilledTemplate(
            outcome, fill(template["title"], values), fill(template["body"], values)
        )


def _service_template(case: Case, outcome: str, language: str) -> dict[str, str] | None:
    if case.appeal_of_id:
        return None
    templates = case.submission.service_version.definition.data.get("decision_templates") or {}
    found = templates.get(outcome)
    if not found:
        return None
    return {part: Definition.text(found[part], language) for part in ("title", "body")}


def placeholder_values(case: Case, language: str, today: date) -> dict[str, str]:
    """Every placeholder's text for this case, in the active language: plain text, never HTML."""
    submission = case.submission
    definition = submission.definition
    values = {
        "applicant_name": case.applicant_name,
        "case_number": case.number,
        "received_date": formats.date_format(timezone.localdate(case.received_at), "DATE_FORMAT"),
        "today": formats.date_format(today, "DATE_FORMAT"),
        "service_title": definition.t("title", language),
        "municipality_name": case.municipality.name,
        # Only in the generic appeal texts; service templates cannot name it.
        "appealed_case_number": case.appeal_of.number if case.appeal_of_id else "",
    }
    for key, field in definition.fields.items():
        if field["type"] != "info":
            values[ANSWER + key] = answer_text(field, submission.answers.get(key), language)
    return values


def answer_text(field: dict, value: Any, language: str) -> str:
    if value in (None, "", []):
        return ""
    if field["type"] == "group":
        rows = [
            ", ".join(
                text
                for item in field["fields"]
                if (text := field_type(item).display(item, row.get(item["key"]), language))
            )
            for row in value
        ]
        return "; ".join(row for row in rows if row)
    return field_type(field).display(field, value, language)


def _generic_template(case: Case, outcome: str) -> dict[str, str]:
    """Texts for any service, in the active language; the caseworker writes the grounds."""
    if case.appeal_of_id:
        return _appeal_templates()[outcome]
    return {
        Outcome.APPROVE: {
            "title": _("Your application is approved"),
            "body": _(
                "We have considered your application of {received_date} (case {case_number}), "
                "and we approve it.\n\n"
                "Grounds:\n"
                "[Write the grounds: the rules the decision is based on, and the facts that "
                "meet them.]"
            ),
        },
        Outcome.REJECT: {
            "title": _("Your application is rejected"),
            "body": _(
                "We have considered your application of {received_date} (case {case_number}), "
                "and we must reject it.\n\n"
                "Grounds:\n"
                "[Write the grounds: the rules the decision is based on, and why the conditions "
                "are not met.]"
            ),
        },
        Outcome.PARTIAL: {
            "title": _("Your application is partly approved"),
            "body": _(
                "We have considered your application of {received_date} (case {case_number}), "
                "and we approve part of it.\n\n"
                "What is approved:\n[Write what the applicant gets.]\n\n"
                "What is not approved:\n[Write what the applicant does not get.]\n\n"
                "Grounds:\n"
                "[Write the grounds: the rules the decision is based on, and the facts that "
                "matter.]"
            ),
        },
    }[outcome]


def _appeal_templates() -> dict[str, dict[str, str]]:
    return {
        Outcome.APPROVE: {
            "title": _("Your appeal is allowed"),
            "body": _(
                "We have considered your appeal of {received_date} against the decision in case "
                "{appealed_case_number}. We agree with you and change the decision.\n\n"
                "The new decision:\n[Write the new decision.]\n\n"
                "Grounds:\n[Write why the decision is changed.]"
            ),
        },
        Outcome.REJECT: {
            "title": _("Your appeal is not allowed"),
            "body": _(
                "We have considered your appeal of {received_date} against the decision in case "
                "{appealed_case_number}. We find no reason to change the decision.\n\n"
                "Grounds:\n[Write why the decision stands.]\n\n"
                "The appeal is sent to the appeal body, which makes the final decision. "
                "[Name the appeal body.]"
            ),
        },
        Outcome.PARTIAL: {
            "title": _("Your appeal is partly allowed"),
            "body": _(
                "We have considered your appeal of {received_date} against the decision in case "
                "{appealed_case_number}. We agree with you in part and change the decision.\n\n"
                "The new decision:\n[Write the new decision.]\n\n"
                "Grounds:\n[Write why the decision is changed only in part.]\n\n"
                "The part of the appeal that is not allowed is sent to the appeal body, which "
                "makes the final decision. [Name the appeal body.]"
            ),
        },
    }
