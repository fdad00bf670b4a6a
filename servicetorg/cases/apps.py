from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "servicetorg.cases"
    verbose_name = "Cases"
