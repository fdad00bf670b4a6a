"""Measure the inbox as proposed in docs/benchmarks.md, before anyone changes the code.

    .venv/bin/python bench/inbox_proposal.py --cases 1000000 --only inbox \\
        --database postgres://postgres@127.0.0.1:5432/servicetorg_bench

The same run as cases_scale.py (same arguments, same data), with the proposed indexes and, for
this process only, two query changes put in place of the current ones:

- the inbox counts only open cases (one aggregate over the open-cases index); the counts of
  finished statuses, of "All" and of channels are left out (shown as "–"): they need a counter
  table and `Case.channel` (see docs/benchmarks.md);
- a row's channel is read with a subquery instead of a join, so the page count needs no join.

A prototype to measure the proposal; the code itself is changed by the owner of cases/queries.py.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases_scale  # noqa: E402


def patch() -> str:
    from django.db.models import Count, OuterRef, Q, Subquery

    from servicetorg.cases import pages, queries
    from servicetorg.cases.constants import OPEN_STATUSES, CaseStatus
    from servicetorg.submissions.constants import Channel
    from servicetorg.submissions.models import Submission

    original_flags = queries.inbox_row_flags

    def inbox_row_flags(today):
        flags = original_flags(today)
        channel = Submission.objects.filter(pk=OuterRef("submission_id")).values("channel")
        flags["channel"] = Subquery(channel[:1])
        return flags

    def inbox_counts(scope, today):
        open_cases = queries.list_cases_for_staff(scope).filter(status__in=OPEN_STATUSES)
        counts = open_cases.aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            unread=Count("pk", filter=Q(staff_unread=True)),
            mine=Count("pk", filter=Q(assignee=scope.user)),
            none=Count("pk", filter=Q(assignee=None)),
            interim=Count("pk", filter=queries.needs_interim_reply(today)),
            **{f"status_{s}": Count("pk", filter=Q(status=s)) for s in OPEN_STATUSES},
        )
        finished = [s for s in CaseStatus.values if s not in OPEN_STATUSES]
        for key in ["all", *(f"status_{s}" for s in finished)]:
            counts[key] = "–"
        counts.update({f"channel_{c}": "–" for c in Channel.values})
        return counts

    queries.inbox_row_flags = inbox_row_flags
    queries.inbox_counts = inbox_counts
    pages.inbox_counts = inbox_counts
    return "proposed queries: open-only counts, channel by subquery (this process only)"


if __name__ == "__main__":
    argv = sys.argv[1:]
    if "--proposed-indexes" not in argv:
        argv.append("--proposed-indexes")
    sys.exit(cases_scale.main(argv, prepare=patch))
