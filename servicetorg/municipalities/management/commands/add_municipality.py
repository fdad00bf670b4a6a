from django.core.management.base import BaseCommand, CommandError

from servicetorg.catalog.starter import load_starter_services
from servicetorg.municipalities.actions import add_municipality


class Command(BaseCommand):
    help = "Add a municipality (tenant), optionally with the starter services."

    def add_arguments(self, parser) -> None:
        parser.add_argument("number", help="four-digit municipality number, e.g. 1577")
        parser.add_argument("name")
        parser.add_argument("slug", help="URL name, e.g. volda")
        parser.add_argument("--language", choices=["nb", "nn"], default="nb")
        parser.add_argument("--color", default="#1E5AA0", help="accent colour, #RRGGBB")
        parser.add_argument("--with-starter-services", action="store_true")

    def handle(self, *args, **options) -> None:
        if not (options["number"].isdigit() and len(options["number"]) == 4):
            raise CommandError("The municipality number has four digits.")
        try:
            municipality = add_municipality(
                number=options["number"],
                name=options["name"],
                slug=options["slug"],
                default_language=options["language"],
                accent_color=options["color"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        count = load_starter_services(municipality) if options["with_starter_services"] else 0
        self.stdout.write(f"{municipality.name} added with {count} services")
