"""Scan the uploaded files still waiting for the virus scanner: new ones left over and retries."""

from django.core.management.base import CommandParser

from servicetorg.lib.commands import LoopCommand
from servicetorg.submissions.constants import ScanStatus
from servicetorg.submissions.scanning import scan_again, scan_due_files


class Command(LoopCommand):
    help = "Scan pending attachments for viruses, retrying failed attempts with backoff."
    label = "scans"
    every = "files to scan"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--again",
            nargs="+",
            default=[],
            choices=[s for s in ScanStatus.values if s != ScanStatus.PENDING],
            metavar="STATUS",
            help="First put files with these statuses back in the queue "
            "(failed, infected, unscanned or clean), e.g. after changing scanner.",
        )

    def before(self, again: list[str] | None = None, **options) -> None:
        if again:
            self.stdout.write(f"scans: {scan_again(again)} files queued again")

    def run_once(self) -> dict[str, int]:
        return scan_due_files()
