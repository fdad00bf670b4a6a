"""Send the e-mails to applicants that are due: new ones left over and retries."""

from servicetorg.cases.notifications import send_due_notifications
from servicetorg.lib.commands import LoopCommand


class Command(LoopCommand):
    help = "Send pending e-mail notifications to applicants, retrying failed ones with backoff."
    label = "notifications"
    every = "due notifications"

    def run_once(self) -> dict[str, int]:
        return send_due_notifications()
