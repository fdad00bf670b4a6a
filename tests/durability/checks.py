"""What must hold in the database and the files folder after any run, crashes included."""

import hashlib
from collections import defaultdict
from pathlib import Path

from django.apps import apps
from django.db import models

from servicetorg.cases.constants import EventKind
from servicetorg.cases.models import Case, CaseEvent, CaseNumberSequence
from servicetorg.submissions.models import Attachment, Draft, Submission


def integrity_problems() -> list[str]:
    """Half-written rows: every submission has its case and its event, and the reverse."""
    problems = []
    for submission in Submission.objects.filter(case__isnull=True):
        problems.append(f"submission {submission.pk} has no case")
    for case in Case.objects.exclude(submission__isnull=False):
        problems.append(f"case {case.pk} has no submission")
    submitted = set(
        CaseEvent.objects.filter(kind=EventKind.SUBMITTED).values_list("case_id", flat=True)
    )
    for case in Case.objects.exclude(pk__in=submitted):
        problems.append(f"case {case.number} has no submitted event")
    draft_keys = set(Submission.objects.values_list("draft_key", flat=True))
    for draft in Draft.objects.filter(submitted_at__isnull=False).exclude(pk__in=draft_keys):
        problems.append(f"draft {draft.pk} is marked submitted without a submission")
    for draft in Draft.objects.filter(submitted_at__isnull=True, pk__in=draft_keys):
        problems.append(f"draft {draft.pk} has a submission but is not marked submitted")
    for attachment in Attachment.objects.filter(draft__isnull=True, submission__isnull=True):
        problems.append(f"attachment {attachment.pk} belongs to no draft and no submission")
    return problems


def numbering_problems() -> list[str]:
    """Case numbers: unique, 1..N per municipality and year, and the counter not behind."""
    problems = []
    numbers = defaultdict(list)
    for municipality, year, sequence in Case.objects.values_list(
        "municipality_id", "year", "sequence"
    ):
        numbers[(municipality, year)].append(sequence)
    counters = {(s.municipality_id, s.year): s.last for s in CaseNumberSequence.objects.all()}
    for key, used in numbers.items():
        if sorted(used) != list(range(1, len(used) + 1)):
            problems.append(f"numbers of {key} are not 1..{len(used)}: {sorted(used)}")
        if counters.get(key, 0) < max(used):
            problems.append(f"counter of {key} is {counters.get(key)}, behind {max(used)}")
    return problems


def file_problems(files_dir: Path) -> list[str]:
    """Every stored file a row refers to is there and whole, and no file lacks a row.

    An orphan is a file no row of any model refers to. A draft's attachment is not one: its
    row belongs to a draft the resident can still come back to, and the file is removed with
    the draft (delete_expired_drafts).
    """
    problems = []
    for attachment in Attachment.objects.all():
        path = files_dir / attachment.file.name
        if not path.is_file():
            problems.append(f"attachment {attachment.pk}: file {attachment.file.name} missing")
            continue
        content = path.read_bytes()
        if len(content) != attachment.size or sha256(content) != attachment.sha256:
            problems.append(f"attachment {attachment.pk}: file differs from its row")
    referenced = referenced_files()
    stored = {p.relative_to(files_dir).as_posix() for p in files_dir.rglob("*") if p.is_file()}
    problems += [f"orphan file {name}" for name in sorted(stored - referenced)]
    return problems


def referenced_files() -> set[str]:
    """The names in every file field of every model."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                values = model.objects.exclude(**{field.name: ""}).values_list(
                    field.name, flat=True
                )
                names.update(v for v in values if v)
    return names


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def receipt_problems(receipts: dict[str, set[str]], expected: dict[str, dict]) -> list[str]:
    """Every receipt a client got: its submission exists once, complete, with its files.

    `receipts` maps a draft to the submission ids the server acknowledged for it, `expected`
    maps it to the answers the client sent (files as name, sha256 and size).
    """
    problems = []
    for draft_id, submission_ids in receipts.items():
        found = list(Submission.objects.filter(draft_key=draft_id))
        if len(submission_ids) != 1 or len(found) != 1 or str(found[0].pk) not in submission_ids:
            problems.append(f"draft {draft_id}: receipts {submission_ids}, stored {found}")
            continue
        problems += answer_problems(found[0], expected[draft_id])
    return problems


def answer_problems(submission: Submission, expected: dict) -> list[str]:
    """The stored answers are those sent; each file answer is an attachment with its bytes."""
    problems = []
    attachments = {str(a.pk): a for a in submission.attachments.all()}
    for key in set(expected) | set(submission.answers):
        want, got = expected.get(key), submission.answers.get(key)
        if isinstance(want, list) and want and isinstance(want[0], dict) and "sha256" in want[0]:
            stored = [attachments.get(item["id"]) for item in got or []]
            if None in stored:
                problems.append(f"{submission.pk}: {key} refers to a missing attachment")
                continue
            sent = sorted((f["name"], f["sha256"], f["size"]) for f in want)
            kept = sorted((a.name, a.sha256, a.size) for a in stored)
            if sent != kept or any(a.field_key != key for a in stored):
                problems.append(f"{submission.pk}: {key} has {kept}, sent {sent}")
        elif want != got:
            problems.append(f"{submission.pk}: {key} is {got!r}, sent {want!r}")
    if not hasattr(submission, "case") or not submission.case.sequence:
        problems.append(f"{submission.pk}: no case number")
    return problems
