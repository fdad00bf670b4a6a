"""Scan the uploaded files still waiting for the virus scanner: new ones left over and retries."""

import time

from django.core.management.base import BaseCommand, CommandParser

from servicetorg.submissions.constants import ScanStatus
from servicetorg.submissions.scanning import scan_again, scan_due_files


class Command(BaseCommand):
    help = "Scan pending attachments for viruses, retrying failed attempts with backoff."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running, looking for files to scan every SECONDS.",
        )
        parser.add_argument(
            "--again",
            nargs="+",
            default=[],
            choices=[s for s in ScanStatus.values if s != ScanStatus.PENDING],
            metavar="STATUS",
            help="First put files with these statuses back in the queue "
            "(failed, infected, unscanned or clean), e.g. after changing scanner.",
        )

    def handle(self, *args, loop: int = 0, again: list[str] | None = None, **options) -> None:
        if again:
            self.stdout.write(f"scans: {scan_again(again)} files queued again")
        while True:
            outcomes = scan_due_files()
            summary = ", ".join(f"{k}={v}" for k, v in sorted(outcomes.items())) or "none due"
            self.stdout.write(f"scans: {summary}")
            if not loop:
                return
            time.sleep(loop)
