"""The import form: a definition file, or its text pasted back after a refused import."""

from django import forms
from django.core.validators import RegexValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# A definition is a few tens of kilobytes; the text must also fit in a posted form field.
IMPORT_MAX_BYTES = 512 * 1024
# The builder's own pages sit where a service's URL name would be (see urls.py).
RESERVED_SLUGS = {"ny", "bibliotek", "importer"}
SLUG = RegexValidator(r"^[a-z0-9-]+$", _("Use only small letters a–z, digits and hyphens."))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Definition file (YAML or JSON)"),
        required=False,
        help_text=_("A file exported from Servicetorg, in this or another installation."),
    )
    text = forms.CharField(
        label=_("Or the definition as text"),
        required=False,
        max_length=IMPORT_MAX_BYTES,
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 16, "spellcheck": "false"}),
        help_text=_("Correct the text here and import it again."),
    )
    slug = forms.CharField(
        label=_("URL name (optional)"),
        required=False,
        max_length=80,
        validators=[SLUG],
        widget=forms.TextInput(attrs={"class": "ds-input", "autocomplete": "off"}),
        help_text=_("Leave empty to use the URL name in the file."),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                gettext("The file is too large. A definition file can be at most %(size)s.")
                % {"size": filesizeformat(IMPORT_MAX_BYTES)}
            )
        return upload

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(reserved_message(slug))
        return slug

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not cleaned.get("text", "").strip():
            self.add_error("file", gettext("Choose a file to import."))
        return cleaned

    def content(self) -> bytes | str:
        """The uploaded bytes, or else the pasted text."""
        upload = self.cleaned_data.get("file")
        if upload:
            return b"".join(upload.chunks())
        return self.cleaned_data["text"]


def reserved_message(slug: str) -> str:
    message = gettext("“%(slug)s” is used by the service builder itself. Choose another URL name.")
    return message % {"slug": slug}
