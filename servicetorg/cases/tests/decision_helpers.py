"""Helpers for the decision and appeal tests: a case ready for a decision, and reading PDFs."""

import io
import re

from django.utils import formats, translation
from pypdf import PdfReader

from servicetorg.cases.constants import CaseStatus
from servicetorg.cases.decision_actions import send_decision
from servicetorg.cases.decision_models import Decision
from servicetorg.cases.models import Case
from servicetorg.cases.tests.conftest import make_case

SCRIPT = "<script>alert(1)</script>"
BODY = "Kari får plass i Bekkestua barnehage.\n\nBegrunnelse:\nBarnet har rett til plass."


def case_in_progress(service, resident, answers: dict | None = None) -> Case:
    """An application a caseworker has started on: ready for a decision."""
    return make_case(service, resident, answers, status=CaseStatus.IN_PROGRESS)


def decide(case: Case, actor, body: str = BODY, outcome: str = "approve", **fields) -> Decision:
    return send_decision(
        case,
        outcome=outcome,
        title=fields.pop("title", "Du har fått barnehageplass"),
        body=body,
        version=case.version,
        actor=actor,
        **fields,
    )


def pdf_text(content: bytes) -> str:
    """The PDF's text with every run of white space made one space (lines wrap anywhere)."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def is_pdf_a_2b(content: bytes) -> bool:
    xmp = PdfReader(io.BytesIO(content)).xmp_metadata
    if xmp is None:
        return False
    raw = xmp.stream.get_data().decode()
    part = re.search(r"pdfaid:part(=\"|>)2", raw)
    return bool(part and re.search(r"pdfaid:conformance(=\"|>)B", raw))


def letter_date(value, language: str) -> str:
    with translation.override(language):
        return formats.date_format(value, "DATE_FORMAT")
