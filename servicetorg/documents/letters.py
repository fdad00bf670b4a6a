"""The decision letter as PDF/A: letterhead, the decision and its grounds, the applicant's rights.

Everything the caseworker or the applicant wrote is plain text, escaped by the template, so
markup in an answer or in the decision appears in the letter as the characters typed.
"""

from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from servicetorg.documents.pdf import pdf_a
from servicetorg.municipalities.models import Municipality
from servicetorg.submissions.models import Submission

if TYPE_CHECKING:
    from servicetorg.cases.decision_models import Decision


def decision_letter_html(decision: "Decision", *, preview: bool = False) -> str:
    case = decision.case
    language = decision.language
    with translation.override(language):
        context = {
            "decision": decision,
            "case": case,
            "municipality": case.municipality,
            "logo": logo_uri(case.municipality),
            "address": address_lines(case.submission),
            "service_title": case.submission.definition.t("title", language),
            "date": timezone.localdate(decision.sent_at),
            "mine_url": settings.SITE_URL.rstrip("/") + reverse("cases:mine"),
            "language": language,
            "preview": preview,
        }
        return render_to_string("documents/decision_letter.html", context)


def decision_letter_pdf(decision: "Decision", *, preview: bool = False) -> bytes:
    """Render the letter; PDF/A-2b, so that it can go to the archive as it is."""
    html = decision_letter_html(decision, preview=preview)
    return pdf_a(html)


def logo_uri(municipality: Municipality) -> str | None:
    """The logo as a file:// URL for WeasyPrint, or None (the letterhead then shows the name)."""
    path = municipality.logo_static_path
    found = finders.find(path)
    if not found and settings.STATIC_ROOT:
        collected = Path(settings.STATIC_ROOT) / path
        found = str(collected) if collected.is_file() else None
    return Path(found).resolve().as_uri() if found else None


def address_lines(submission: Submission) -> list[str]:
    """The applicant's postal address, from the first address answer of the form, if any."""
    definition = submission.definition
    for key, field in definition.fields.items():
        value = submission.answers.get(key)
        if field["type"] == "address" and isinstance(value, dict) and value.get("street"):
            place = f"{value.get('postal_code', '')} {value.get('place', '')}".strip()
            return [line for line in (value["street"], place) if line]
    return []
