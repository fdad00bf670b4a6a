from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "servicetorg.catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from servicetorg.lib.changes import watch_changes

        # What workers keep in memory is forgotten when the catalog or a municipality changes.
        watch_changes()
