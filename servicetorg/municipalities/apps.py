from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "servicetorg.municipalities"
    verbose_name = "Municipalities"
