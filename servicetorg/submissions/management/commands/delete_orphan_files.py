from django.core.management.base import BaseCommand

from servicetorg.submissions.actions import delete_orphan_files


class Command(BaseCommand):
    help = (
        "Delete stored uploads no row refers to (an hour old or more): what a server killed "
        "mid-upload leaves behind. Run it with delete_expired_drafts."
    )

    def handle(self, *args, **options) -> None:
        count = delete_orphan_files()
        self.stdout.write(f"{count} orphan files deleted")
