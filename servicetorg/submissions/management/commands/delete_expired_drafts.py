from django.core.management.base import BaseCommand

from servicetorg.submissions.actions import delete_expired_drafts


class Command(BaseCommand):
    help = "Delete drafts past their expiry, with the files only they hold."

    def handle(self, *args, **options) -> None:
        count = delete_expired_drafts()
        self.stdout.write(f"{count} expired drafts deleted")
