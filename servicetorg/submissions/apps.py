from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "servicetorg.submissions"
    verbose_name = "Submissions"
