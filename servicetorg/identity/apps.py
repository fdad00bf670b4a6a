from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "servicetorg.identity"
    verbose_name = "Identity"
