"""The interim reply form: the reason and the date an answer can be expected."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicetorg.cases.forms import VersionedForm

MAX_REASON = 1000


class DateInput(forms.DateInput):
    """The browser's date picker; the value is sent as YYYY-MM-DD whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class InterimReplyForm(VersionedForm):
    id_prefix = "interim"
    reason = forms.CharField(
        label=_("Why the answer takes longer"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    expected_by = forms.DateField(label=_("An answer can be expected by"), widget=DateInput())

    def clean_expected_by(self):
        expected_by = self.cleaned_data["expected_by"]
        if expected_by <= timezone.localdate():
            raise ValidationError(_("Choose a date after today."))
        return expected_by
