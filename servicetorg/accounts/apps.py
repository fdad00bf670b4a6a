from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "servicetorg.accounts"
    verbose_name = "Accounts"
