from django.conf import settings
from django.core.management.base import BaseCommand

from servicetorg.accounts.demo import DEMO_STAFF, demo_password
from servicetorg.identity.demo import demo_people
from servicetorg.municipalities.queries import list_municipalities


class Command(BaseCommand):
    help = "Print how to log in to the demo as a resident and as each demo staff member."

    def handle(self, *args, **options) -> None:
        site = settings.SITE_URL
        self.stdout.write(f"\nServicetorg demo: {site}\n")
        self.stdout.write("Residents: press Log in and pick a synthetic person, for example:")
        for person in demo_people():
            self.stdout.write(f"  {person.name} ({person.pid})")
        self.stdout.write(f"\nStaff: {site}/ansatt/logg-inn/")
        for municipality in list_municipalities():
            password = demo_password(municipality.slug)
            users = ", ".join(f"{prefix}.{municipality.slug}" for prefix, *_ in DEMO_STAFF)
            self.stdout.write(f"  {municipality.name}: {users} (password {password})")
        self.stdout.write("")
