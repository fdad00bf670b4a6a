from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "servicetorg.documents"
    verbose_name = "Documents"
