from django.apps import AppConfig


class TestidConfig(AppConfig):
    name = "servicetorg.identity.testid"
    label = "testid"
    verbose_name = "TestID"

    def ready(self) -> None:
        # The login's configuration checks live with the identity app; this app is always installed.
        from servicetorg.identity import checks  # noqa: F401
