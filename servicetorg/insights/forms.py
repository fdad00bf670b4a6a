"""The dashboard's period and service choice (a GET form), and the leader's gain settings."""

from datetime import date

from django import forms
from django.conf import settings
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from servicetorg.catalog.models import Service
from servicetorg.insights.figures import Period
from servicetorg.submissions.constants import Channel

KINDS = [
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("year", _("Year")),
    ("custom", _("Custom dates")),
]
# A custom period longer than this is refused: the figures of decades say little and cost much.
LONGEST_DAYS = 5 * 366
EARLIEST_YEAR = 2000


class DateInput(forms.DateInput):
    input_type = "date"


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=KINDS, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=EARLIEST_YEAR, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(q, f"{q}.") for q in range(1, 5)], coerce=int, required=False
    )
    month = forms.TypedChoiceField(
        label=_("Month"), choices=list(MONTHS.items()), coerce=int, required=False
    )
    start = forms.DateField(label=_("From"), widget=DateInput, required=False)
    end = forms.DateField(label=_("To"), widget=DateInput, required=False)
    service = forms.TypedChoiceField(label=_("Service"), coerce=int, required=False)

    def __init__(self, *args, services: dict[int, str], today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.services = services
        self.fields["service"].choices = [("", _("All services")), *services.items()]
        self.fields["year"].max_value = today.year
        self.fields["year"].widget.attrs.update(max=today.year)
        for name, value in self.defaults().items():
            self.fields[name].initial = value
        for field in self.fields.values():
            field.widget.attrs["class"] = "ds-input"

    def defaults(self) -> dict:
        today = self.today
        return {
            "period": "year",
            "year": today.year,
            "quarter": (today.month - 1) // 3 + 1,
            "month": today.month,
            "start": today.replace(day=1),
            "end": today,
        }

    def clean(self) -> dict:
        data = super().clean()
        values = {**self.defaults(), **{k: v for k, v in data.items() if v not in (None, "")}}
        kind = values["period"]
        if kind == "custom":
            if values["start"] > values["end"]:
                raise forms.ValidationError(_("The period must start before it ends."))
            if (values["end"] - values["start"]).days > LONGEST_DAYS:
                raise forms.ValidationError(_("Choose a period of at most five years."))
            period = Period.custom(values["start"], values["end"])
        elif kind == "month":
            period = Period.month(values["year"], values["month"])
        elif kind == "quarter":
            period = Period.quarter(values["year"], values["quarter"])
        else:
            period = Period.year(values["year"])
        data["chosen"] = period
        return data

    def chosen_period(self) -> Period:
        """The chosen period; the current year when nothing (valid) is chosen."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["chosen"]
        return Period.year(self.today.year)

    def service_id(self) -> int | None:
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get("service") or None
        return None


class GainsForm(forms.Form):
    """The municipality's hourly and letter cost, and each service's minutes per channel."""

    hourly_cost_nok = forms.IntegerField(
        label=_("Cost of one working hour (NOK)"), min_value=0, max_value=100_000
    )
    letter_cost_nok = forms.DecimalField(
        label=_("Cost of one printed and posted letter (NOK)"),
        min_value=0,
        max_value=10_000,
        max_digits=8,
        decimal_places=2,
    )

    def __init__(self, *args, services: list[Service], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.services = services
        defaults = settings.INSIGHTS_DEFAULTS
        self.fields["hourly_cost_nok"].help_text = _("Default: %(value)s") % {
            "value": defaults["hourly_cost_nok"]
        }
        self.fields["letter_cost_nok"].help_text = _("Default: %(value)s") % {
            "value": defaults["letter_cost_nok"]
        }
        for service in services:
            for channel, label in Channel.choices:
                self.fields[self.field_name(service, channel)] = forms.IntegerField(
                    label=label,
                    min_value=0,
                    max_value=24 * 60,
                    help_text=_("Default: %(value)s") % {"value": defaults["minutes"][channel]},
                )
        for field in self.fields.values():
            field.widget.attrs["class"] = "ds-input"

    @staticmethod
    def field_name(service: Service, channel: str) -> str:
        return f"s{service.pk}_{channel}"

    def service_rows(self) -> list[tuple[Service, list[forms.BoundField]]]:
        """Each service with its four minute fields, for the template."""
        return [
            (service, [self[self.field_name(service, c)] for c in Channel.values])
            for service in self.services
        ]

    def minutes(self) -> dict[int, dict[str, int]]:
        """The cleaned minutes: {service id: {channel: minutes}}."""
        return {
            service.pk: {c: self.cleaned_data[self.field_name(service, c)] for c in Channel.values}
            for service in self.services
        }
