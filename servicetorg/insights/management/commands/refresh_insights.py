"""Rebuild the daily figures.

Every round rebuilds the days the case actions marked (`mark_for_refresh`); run it as
`refresh_insights --loop 60` beside the web server. Run without --loop (hourly, say) it also
rebuilds yesterday and today for every municipality, which repairs whatever a change outside
the actions left behind; --days and --all rebuild longer ranges.
"""

from datetime import timedelta

from django.core.management.base import CommandParser
from django.db.models import Min
from django.utils import timezone

from servicetorg.cases.models import Case
from servicetorg.insights.aggregation import refresh_pending, refresh_range
from servicetorg.lib.commands import LoopCommand
from servicetorg.municipalities.models import Municipality


class Command(LoopCommand):
    help = "Recompute the insights' daily figures from the cases."
    label = "insights"
    every = "days the case actions marked"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--days",
            type=int,
            default=2,
            help="Also refresh this many days up to today (default 2); not with --loop.",
        )
        parser.add_argument(
            "--all", action="store_true", help="Refresh every day since the first case."
        )
        parser.add_argument("--municipality", metavar="SLUG", help="Only this municipality.")

    def before(self, *, days: int, all: bool, municipality: str | None, loop: int, **options):
        if days < 1:
            raise ValueError("--days must be at least 1")
        if loop:
            return  # the loop only rebuilds marked days
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

    def run_once(self) -> dict[str, int]:
        return {"marked days rebuilt": refresh_pending()}
