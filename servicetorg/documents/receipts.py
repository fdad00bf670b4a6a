"""The receipt as PDF/A: what was submitted, when, under which case number, and what comes next."""

from django.template.loader import render_to_string
from django.utils import translation

from servicetorg.catalog.engine import answer_sections
from servicetorg.documents.pdf import pdf_a
from servicetorg.submissions.models import Submission


def receipt_html(submission: Submission, language: str) -> str:
    definition = submission.definition
    with translation.override(language):
        context = {
            "submission": submission,
            "case": submission.case,
            "municipality": submission.municipality,
            "service_title": definition.t("title", language),
            "next_text": definition.t("what_happens_next", language),
            "sections": answer_sections(definition, submission.answers, language),
            "language": language,
        }
        return render_to_string("documents/receipt.html", context)


def receipt_pdf_bytes(submission: Submission, language: str) -> bytes:
    """Render the receipt; PDF/A-2b so that it can go to the archive as it is."""
    html = receipt_html(submission, language)
    return pdf_a(html)
