"""Forms of the service builder. Every text has three inputs: bokmål, nynorsk and English.

A form reads the working document for its initial values and gives back, in `values()`, what
the matching edit in edits.py takes. Nothing here writes.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from servicetorg.catalog.builder.edits import LANGUAGES, SERVICE_TEXTS
from servicetorg.catalog.constants import Category
from servicetorg.catalog.definitions import PREFILL_TYPES

LANGUAGE_NAMES = {"nb": _("Bokmål"), "nn": _("Nynorsk"), "en": _("English")}
TEXT_LABELS = {
    "title": _("Title"),
    "summary": _("Summary"),
    "who_can_apply": _("Who can apply"),
    "what_you_need": _("What to have at hand"),
    "what_happens_next": _("What happens next"),
    "intro": _("Introduction"),
    "label": _("Question or heading"),
    "help": _("Help text"),
    "pattern_message": _("Message when the pattern does not match"),
    "body": _("Text"),
    "item_label": _("Name of one item (e.g. Person)"),
    "fee_text": _("About the fee"),
}
LONG_TEXTS = {"summary", "who_can_apply", "what_you_need", "what_happens_next", "intro", "body"}


class BuilderForm(forms.Form):
    """A form with the draft's revision, and helpers for texts in three languages."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def style(self) -> "BuilderForm":
        """Give every input the design system's look; call after all fields are added."""
        for field in self.fields.values():
            widget = field.widget
            if not widget.is_hidden and not isinstance(
                widget, forms.CheckboxInput | forms.CheckboxSelectMultiple
            ):
                widget.attrs.setdefault("class", "ds-input")
        return self

    def add_text(self, name: str, value: dict | None, *, required_nb: bool = False) -> None:
        widget = forms.Textarea(attrs={"rows": 3}) if name in LONG_TEXTS else forms.TextInput
        for language in LANGUAGES:
            self.fields[f"{name}_{language}"] = forms.CharField(
                label=LANGUAGE_NAMES[language],
                required=required_nb and language == "nb",
                max_length=4000,
                widget=widget,
                initial=(value or {}).get(language, ""),
            )

    def text(self, name: str) -> dict[str, str]:
        """The cleaned text in the languages that were filled in."""
        return {
            language: self.cleaned_data[f"{name}_{language}"].strip()
            for language in LANGUAGES
            if self.cleaned_data.get(f"{name}_{language}", "").strip()
        }

    def text_groups(self, names) -> list[dict[str, Any]]:
        """For the template: one group of three inputs per text."""
        return [
            {"label": TEXT_LABELS[n], "fields": [self[f"{n}_{lang}"] for lang in LANGUAGES]}
            for n in names
            if f"{n}_nb" in self.fields
        ]


class NewServiceForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")

    title = forms.CharField(label=_("Title (bokmål)"), max_length=200)
    category = forms.ChoiceField(label=_("Life situation"), choices=Category.choices)
    department = forms.CharField(label=_("Handling department"), max_length=100)


class ServiceForm(BuilderForm):
    """The service's texts and settings."""

    category = forms.ChoiceField(label=_("Life situation"), choices=Category.choices)
    handling_days = forms.IntegerField(label=_("Target handling time in days"), min_value=1)
    department = forms.CharField(label=_("Handling department"), max_length=100)
    fee_amount = forms.IntegerField(label=_("Fee in kroner (0 if free)"), min_value=0, initial=0)
    retention_years = forms.IntegerField(
        label=_("Years the case is kept after it is closed"), min_value=1, max_value=100
    )
    assurance = forms.ChoiceField(
        label=_("Login level"),
        choices=[
            ("substantial", _("Substantial (MinID, BankID)")),
            ("high", _("High (BankID, Buypass, Commfides)")),
        ],
    )

    def __init__(self, document: dict, *args, **kwargs) -> None:
        fee = document.get("fee") or {}
        initial = {
            "category": document.get("category"),
            "handling_days": document.get("handling_days"),
            "department": document.get("department"),
            "fee_amount": fee.get("amount_nok", 0),
            "retention_years": document.get("retention_years"),
            "assurance": document.get("assurance", "substantial"),
        }
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        for name in SERVICE_TEXTS:
            self.add_text(name, document.get(name), required_nb=name == "title")
        self.add_text("fee_text", fee.get("text"))
        keywords = document.get("keywords") or {}
        for language in LANGUAGES:
            self.fields[f"keywords_{language}"] = forms.CharField(
                label=LANGUAGE_NAMES[language],
                required=False,
                max_length=1000,
                initial=", ".join(keywords.get(language, [])),
                help_text=_("Words a resident might search for, separated by commas."),
            )
        self.style()

    def text_groups_service(self) -> list:
        return self.text_groups(SERVICE_TEXTS)

    def text_groups_fee(self) -> list:
        return self.text_groups(["fee_text"])

    def keyword_fields(self) -> list:
        return [self[f"keywords_{language}"] for language in LANGUAGES]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {name: self.text(name) for name in SERVICE_TEXTS}
        values["keywords"] = {
            language: [w.strip() for w in data[f"keywords_{language}"].split(",") if w.strip()]
            for language in LANGUAGES
        }
        fee: dict[str, Any] = {"amount_nok": data["fee_amount"]}
        if self.text("fee_text"):
            fee["text"] = self.text("fee_text")
        values["fee"] = fee if data["fee_amount"] or "text" in fee else None
        for name in ("category", "handling_days", "department", "retention_years"):
            values[name] = data[name]
        values["assurance"] = None if data["assurance"] == "substantial" else data["assurance"]
        return values


class StepForm(BuilderForm):
    def __init__(self, step: dict, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_text("title", step.get("title"), required_nb=True)
        self.add_text("intro", step.get("intro"))
        self.style()

    def text_groups_step(self) -> list:
        return self.text_groups(["title", "intro"])


class LettersForm(BuilderForm):
    """Decision letter templates: a title and a body per outcome, in three languages."""

    OUTCOMES = {
        "approve": _("Approval"),
        "reject": _("Rejection"),
        "partial": _("Partial approval"),
    }

    def __init__(self, document: dict, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        templates = document.get("decision_templates") or {}
        for outcome in self.OUTCOMES:
            template = templates.get(outcome) or {}
            for part in ("title", "body"):
                for language in LANGUAGES:
                    self.fields[f"{outcome}_{part}_{language}"] = forms.CharField(
                        label=LANGUAGE_NAMES[language],
                        required=False,
                        max_length=8000,
                        initial=(template.get(part) or {}).get(language, ""),
                        widget=forms.Textarea(attrs={"rows": 6}) if part == "body" else None,
                    )
        self.style()

    def outcomes(self) -> list[dict[str, Any]]:
        return [
            {
                "outcome": outcome,
                "label": label,
                "title": [self[f"{outcome}_title_{lang}"] for lang in LANGUAGES],
                "body": [self[f"{outcome}_body_{lang}"] for lang in LANGUAGES],
            }
            for outcome, label in self.OUTCOMES.items()
        ]

    def template(self, outcome: str) -> tuple[dict[str, str], dict[str, str]]:
        return tuple(  # type: ignore[return-value]
            {
                language: self.cleaned_data[f"{outcome}_{part}_{language}"].strip()
                for language in LANGUAGES
                if self.cleaned_data[f"{outcome}_{part}_{language}"].strip()
            }
            for part in ("title", "body")
        )


def prefill_choices(ftype: str) -> list[tuple[str, str]]:
    names = {
        "person.name": _("The applicant's name (Folkeregisteret)"),
        "person.fnr": _("The applicant's identity number"),
        "person.address": _("The applicant's address (Folkeregisteret)"),
        "person.birth_date": _("The applicant's date of birth"),
        "contact.email": _("The applicant's e-mail (Kontakt- og reservasjonsregisteret)"),
        "contact.mobile": _("The applicant's mobile number (Kontakt- og reservasjonsregisteret)"),
        "household.children": _("The applicant's children under 18 (Folkeregisteret)"),
    }
    return [("", _("Nothing"))] + [
        (source, names[source]) for source, types in PREFILL_TYPES.items() if ftype in types
    ]
