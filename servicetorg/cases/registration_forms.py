"""The form that starts a registration: how the application came, when, and from whom."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicetorg.cases.deadline_forms import DateInput
from servicetorg.cases.forms import DesignForm
from servicetorg.cases.registration_models import STAFF_CHANNELS
from servicetorg.catalog.fieldtypes import field_type
from servicetorg.submissions.constants import Channel

# The identity number is checked exactly as a form's identity number field checks it.
FNR_FIELD = {"key": "applicant_pid", "type": "fnr", "required": True}
# The scan is checked like any attachment: by its content, images re-encoded.
SCAN_FIELD = {
    "key": "_scan",
    "type": "file",
    "accept": ["pdf", "png", "jpeg"],
    "max_size_mb": 20,
    "multiple": True,
    "max_files": 5,
}


class RegistrationStartForm(DesignForm):
    id_prefix = "register"
    channel = forms.ChoiceField(
        label=_("How the application came"),
        choices=[(c, Channel(c).label) for c in STAFF_CHANNELS],
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(label=_("Date received"), widget=DateInput())
    applicant_pid = forms.CharField(
        label=_("The applicant's national identity number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_name = forms.CharField(label=_("The applicant's name"), max_length=200)
    language = forms.ChoiceField(
        label=_("The applicant's language"),
        choices=settings.LANGUAGES,
        help_text=_("Messages and letters to the applicant are written in it."),
    )
    # The number the caseworker was shown back and confirmed; the registers are asked only then.
    confirmed_pid = forms.CharField(required=False, widget=forms.HiddenInput)

    @property
    def confirmed(self) -> bool:
        """Whether the caseworker confirmed this very number (an edited number is asked again)."""
        return self.cleaned_data["confirmed_pid"] == self.cleaned_data["applicant_pid"]

    def registration_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "confirmed_pid"}

    def clean_applicant_pid(self) -> str:
        return field_type(FNR_FIELD).clean(FNR_FIELD, self.cleaned_data["applicant_pid"])

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise ValidationError(_("The date cannot be later than today."))
        return received_on


def applicant_initial(default_language: str) -> dict:
    return {
        "channel": Channel.PAPER,
        "received_on": timezone.localdate(),
        "language": default_language,
    }
