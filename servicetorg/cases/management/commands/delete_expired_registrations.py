from django.core.management.base import BaseCommand

from servicetorg.cases.registration_actions import delete_expired_registrations


class Command(BaseCommand):
    help = (
        "Delete staff registrations past their expiry or submitted, with the files only they hold."
    )

    def handle(self, *args, **options) -> None:
        count = delete_expired_registrations()
        self.stdout.write(f"{count} expired registrations deleted")
