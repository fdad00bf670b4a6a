"""Forms for the administrator's staff pages."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from servicetorg.accounts.constants import Role
from servicetorg.municipalities.models import Municipality


def namespaced(name: str, municipality: Municipality) -> str:
    """The account name a municipality's administrator creates: `name@slug`."""
    return f"{name}@{municipality.slug}"


class NewStaffForm(forms.Form):
    """A new account in the municipality's own name space (`kari.nordmann@molde`).

    An administrator can then only ever learn which names the own municipality uses: names of
    other municipalities never collide, and "@" cannot be typed to reach theirs.
    """

    username = forms.RegexField(
        label=_("User name"),
        regex=r"^[a-z0-9._-]{3,60}$",
        error_messages={"invalid": _("Use 3–60 lower-case letters, digits, dots or dashes.")},
    )
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"))

    def __init__(self, *args, municipality: Municipality, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality

    def clean_username(self) -> str:
        username = namespaced(self.cleaned_data["username"], self.municipality)
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError(_("That user name is already used in this municipality."))
        return username


class RolesForm(forms.Form):
    """One checkbox per role, and the departments a caseworker is limited to."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    departments = forms.CharField(
        label=_("Departments (caseworkers only; empty means all)"),
        required=False,
        max_length=500,
        help_text=_("Separate with commas, e.g. Oppvekst, Teknisk drift"),
    )

    def role_map(self) -> dict[str, list[str]]:
        departments = [d.strip() for d in self.cleaned_data["departments"].split(",") if d.strip()]
        return {
            role: departments if role == Role.CASEWORKER else []
            for role in self.cleaned_data["roles"]
        }
