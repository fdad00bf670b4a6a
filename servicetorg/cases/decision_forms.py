"""Forms of the decision page and of the applicant's appeal. Fields listed explicitly."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from servicetorg.cases.decision_models import Outcome
from servicetorg.cases.forms import DesignForm, MessageFilesField, VersionedForm

MAX_DECISION = 20000
MAX_APPEAL = 5000


class TemplateChoiceForm(DesignForm):
    """Which template to start from, and the letter's language (a GET form: no change)."""

    id_prefix = "template"
    outcome = forms.ChoiceField(label=_("Template"), choices=Outcome.choices)
    language = forms.ChoiceField(label=_("Language of the letter"), choices=settings.LANGUAGES)

    def chosen(self, default_language: str) -> tuple[str, str]:
        """The outcome and language asked for; anything invalid falls back to the defaults."""
        if not self.is_bound or not self.is_valid():
            return str(Outcome.APPROVE), default_language
        return self.cleaned_data["outcome"], self.cleaned_data["language"]


class DecisionForm(VersionedForm):
    id_prefix = "decision"
    # Chosen with the template above; shown on the page as text.
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.HiddenInput)
    language = forms.ChoiceField(choices=settings.LANGUAGES, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Decision and grounds"),
        max_length=MAX_DECISION,
        widget=forms.Textarea(attrs={"rows": 20}),
    )


class AppealForm(DesignForm):
    id_prefix = "appeal"
    text = forms.CharField(
        label=_("Your appeal"), max_length=MAX_APPEAL, widget=forms.Textarea(attrs={"rows": 8})
    )
    files = MessageFilesField(label=_("Attachments (optional)"))
