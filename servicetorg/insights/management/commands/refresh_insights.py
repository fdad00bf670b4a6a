"""Rebuild the daily figures: by default yesterday and today, for every municipality.

Run it periodically (hourly, say): the case actions refresh their own days after commit, and
this repairs whatever a failed refresh or a change outside the actions left behind.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Min
from django.utils import timezone

from servicetorg.cases.models import Case
from servicetorg.insights.aggregation import refresh_range
from servicetorg.municipalities.models import Municipality


class Command(BaseCommand):
    help = "Recompute the insights' daily figures from the cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=2, help="Refresh this many days up to today (default 2)."
        )
        parser.add_argument(
            "--all", action="store_true", help="Refresh every day since the first case."
        )
        parser.add_argument("--municipality", metavar="SLUG", help="Only this municipality.")

    def handle(self, *args, days: int, all: bool, municipality: str | None, **options) -> None:
        if days < 1:
            raise ValueError("--days must be at least 1")
        today = timezone.localdate()
        municipalities = Municipality.objects.order_by("slug")
        if municipality:
            municipalities = municipalities.filter(slug=municipality)
        for m in municipalities:
            start = today - timedelta(days=days - 1)
            if all:
                first = Case.objects.filter(municipality=m).aggregate(first=Min("received_at"))
                start = timezone.localdate(first["first"]) if first["first"] else today
            rows = refresh_range(m, start, today)
            self.stdout.write(f"{m.slug}: {start}–{today}, {rows} rows")
