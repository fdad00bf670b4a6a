"""Send the e-mails to applicants that are due: new ones left over and retries."""

import time

from django.core.management.base import BaseCommand, CommandParser

from servicetorg.cases.notifications import send_due_notifications


class Command(BaseCommand):
    help = "Send pending e-mail notifications to applicants, retrying failed ones with backoff."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running, looking for due notifications every SECONDS.",
        )

    def handle(self, *args, loop: int = 0, **options) -> None:
        while True:
            outcomes = send_due_notifications()
            summary = ", ".join(f"{k}={v}" for k, v in sorted(outcomes.items())) or "none due"
            self.stdout.write(f"notifications: {summary}")
            if not loop:
                return
            time.sleep(loop)
