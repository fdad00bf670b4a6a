"""A management command that does one round of due work, once or every N seconds."""

import time

from django.core.management.base import BaseCommand, CommandParser


class LoopCommand(BaseCommand):
    """Subclasses set `label` and `every`, and do one round in `run_once`, returning counts."""

    label = "work"
    every = "due work"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop",
            type=int,
            default=0,
            metavar="SECONDS",
            help=f"Keep running, looking for {self.every} every SECONDS.",
        )

    def run_once(self) -> dict[str, int]:
        raise NotImplementedError

    def handle(self, *args, loop: int = 0, **options) -> None:
        self.before(loop=loop, **options)
        while True:
            outcomes = self.run_once()
            summary = ", ".join(f"{k}={v}" for k, v in sorted(outcomes.items())) or "none due"
            self.stdout.write(f"{self.label}: {summary}")
            if not loop:
                return
            time.sleep(loop)

    def before(self, **options) -> None:
        """Anything to do once before the first round."""
