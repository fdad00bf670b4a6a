from django.conf import settings
from django.core.management.base import BaseCommand

from servicetorg.accounts.demo import create_demo_login_provider, create_demo_staff
from servicetorg.catalog.starter import load_starter_services
from servicetorg.insights.demo_history import load_demo_history
from servicetorg.municipalities.actions import load_demo_municipalities


class Command(BaseCommand):
    help = (
        "Load the demo municipalities, their starter services and staff, and the staff login "
        "through this installation's TestID (safe to run again)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-history",
            action="store_false",
            dest="history",
            help="Do not generate the two years of case history (only where there is none yet).",
        )

    def handle(self, *args, **options) -> None:
        places = []
        for municipality in load_demo_municipalities():
            count = load_starter_services(municipality)
            create_demo_staff(municipality)
            if settings.TESTID_ENABLED:
                create_demo_login_provider(municipality)
            self.stdout.write(f"{municipality.name}: {count} services")
            places.append(municipality)
        if options.get("history", True):
            for municipality in places:
                load_demo_history(municipality, write=self.stdout.write)
