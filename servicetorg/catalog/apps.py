from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "servicetorg.catalog"
    verbose_name = "Catalog"
