from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from servicetorg.accounts.models import StaffIdentity, StaffLoginProvider


class StaffLoginProviderForm(forms.ModelForm):
    """The secret is never shown again; leaving the field empty keeps the one stored."""

    issuer = forms.URLField(
        label=_("issuer"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=StaffLoginProvider._meta.get_field("issuer").help_text,
    )
    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the stored secret."),
    )

    class Meta:
        model = StaffLoginProvider
        fields = [
            "municipality",
            "name",
            "issuer",
            "client_id",
            "client_secret",
            "client_auth",
            "scope",
            "acr_values",
            "enabled",
        ]

    def clean_client_secret(self) -> str:
        return self.cleaned_data["client_secret"] or self.instance.client_secret


@admin.register(StaffLoginProvider)
class StaffLoginProviderAdmin(admin.ModelAdmin):
    form = StaffLoginProviderForm
    list_display = ["name", "municipality", "issuer", "client_id", "enabled"]
    list_filter = ["enabled", "municipality"]
    search_fields = ["name", "issuer", "client_id"]


@admin.register(StaffIdentity)
class StaffIdentityAdmin(admin.ModelAdmin):
    """Delete a row to unlink an identity; it is linked again by e-mail at the next login."""

    list_display = ["user", "issuer", "created_at"]
    list_filter = ["issuer"]
    search_fields = ["user__username", "issuer"]
    readonly_fields = ["user", "issuer", "subject", "created_at"]

    def has_add_permission(self, request: object) -> bool:
        return False
