"""The form for one field: texts, its type's settings, options and the "show when" rule.

The rule is built from menus, never typed as code: either one choice from "«question» is
«answer»" (every option of the earlier choice and yes/no questions), or a question, a
comparison and a value for numbers and free text.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from servicetorg.catalog.builder.edits import CHOICE_TYPES, LANGUAGES, TYPE_SETTINGS
from servicetorg.catalog.builder.forms import LANGUAGE_NAMES, BuilderForm, prefill_choices
from servicetorg.catalog.definitions import Definition

EXTRA_OPTION_ROWS = 3
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
COMPARISONS = {
    "==": _("is"),
    "!=": _("is not"),
    ">": _("is more than"),
    "<": _("is less than"),
}
YES_NO = {True: _("yes"), False: _("no")}


def _int(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, **kwargs)


SETTING_FIELDS = {
    "min_length": lambda: _int(_("Shortest answer (characters)"), min_value=0),
    "max_length": lambda: _int(_("Longest answer (characters)"), min_value=1),
    "pattern": lambda: forms.CharField(
        label=_("Pattern the answer must match (regular expression)"),
        required=False,
        max_length=300,
    ),
    "decimals": lambda: _int(_("Decimals"), min_value=0, max_value=6),
    "widget": lambda: forms.ChoiceField(
        label=_("Show the options as"),
        choices=[("radio", _("Radio buttons")), ("select", _("A drop-down list"))],
    ),
    "min_choices": lambda: _int(_("At least this many ticked"), min_value=0),
    "max_choices": lambda: _int(_("At most this many ticked"), min_value=1),
    "multiple": lambda: forms.BooleanField(label=_("Allow several files"), required=False),
    "max_files": lambda: _int(_("Most files"), min_value=1, max_value=50),
    "accept": lambda: forms.MultipleChoiceField(
        label=_("Allowed file types"),
        required=False,
        choices=[("pdf", "PDF"), ("jpeg", "JPEG"), ("png", "PNG")],
        widget=forms.CheckboxSelectMultiple,
    ),
    "max_size_mb": lambda: _int(_("Largest file in MB"), min_value=1),
    "min_items": lambda: _int(_("At least this many items"), min_value=0),
    "max_items": lambda: _int(_("At most this many items"), min_value=1),
}
TEXT_SETTINGS = {"pattern_message", "body", "item_label"}
DATE_BOUNDS = re.compile(r"^(today|\d{4}-\d{2}-\d{2})$")


class FieldForm(BuilderForm):
    """Edit one field of the working document."""

    def __init__(self, document: dict, field: dict, earlier: list[dict], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.document, self.field, self.earlier = document, field, earlier
        ftype = field["type"]
        self.add_text("label", field.get("label"), required_nb=True)
        if ftype != "info":
            self.add_text("help", field.get("help"))
            self.fields["required"] = forms.BooleanField(
                label=_("The resident must answer"), required=False, initial=field.get("required")
            )
        self.fields["key"] = forms.CharField(
            label=_("Technical name"),
            max_length=60,
            initial=field["key"],
            help_text=_(
                "Stored with every answer. Change it only before the service is published."
            ),
        )
        self._add_settings(ftype)
        if ftype in CHOICE_TYPES:
            self._add_option_rows(field.get("options") or [])
        if len(prefill_choices(ftype)) > 1:
            self.fields["prefill"] = forms.ChoiceField(
                label=_("Fill in from a register"),
                choices=prefill_choices(ftype),
                required=False,
                initial=field.get("prefill", ""),
            )
        self._add_condition()
        self.style()

    # Settings

    def _add_settings(self, ftype: str) -> None:
        for name in TYPE_SETTINGS[ftype]:
            if name in TEXT_SETTINGS:
                self.add_text(name, self.field.get(name))
            elif name in ("min", "max"):
                self.fields[name] = self._bound_field(ftype, name)
            else:
                self.fields[name] = SETTING_FIELDS[name]()
                self.fields[name].initial = self.field.get(name)

    def _bound_field(self, ftype: str, name: str) -> forms.Field:
        label = _("Smallest allowed") if name == "min" else _("Largest allowed")
        if ftype == "date":
            field: forms.Field = forms.RegexField(
                regex=DATE_BOUNDS,
                label=label,
                required=False,
                help_text=_("A date as YYYY-MM-DD, or the word today."),
                error_messages={"invalid": _("Write a date as YYYY-MM-DD, or the word today.")},
            )
        elif ftype == "decimal":
            field = forms.DecimalField(label=label, required=False)
        else:
            field = forms.IntegerField(label=label, required=False)
        field.initial = self.field.get(name)
        return field

    def text_groups_field(self) -> list:
        return self.text_groups(["label", "help"])

    def setting_fields(self) -> list:
        return [
            self[name]
            for name in TYPE_SETTINGS[self.field["type"]]
            if name not in TEXT_SETTINGS and name in self.fields
        ]

    def text_setting_groups(self) -> list:
        names = [n for n in TYPE_SETTINGS[self.field["type"]] if n in TEXT_SETTINGS]
        return self.text_groups(names)

    # Options

    def _add_option_rows(self, options: list[dict]) -> None:
        self.option_count = len(options) + EXTRA_OPTION_ROWS
        for i in range(self.option_count):
            option = options[i] if i < len(options) else {"value": "", "label": {}}
            self.fields[f"option_{i}_value"] = forms.CharField(
                label=_("Technical value"),
                required=False,
                max_length=60,
                initial=option["value"],
            )
            for language in LANGUAGES:
                self.fields[f"option_{i}_{language}"] = forms.CharField(
                    label=LANGUAGE_NAMES[language],
                    required=False,
                    max_length=300,
                    initial=option["label"].get(language, ""),
                )

    def option_rows(self) -> list[list]:
        count = getattr(self, "option_count", 0)
        names = [*LANGUAGES, "value"]
        return [[self[f"option_{i}_{n}"] for n in names] for i in range(count)]

    def options(self) -> list[dict]:
        """Rows with a value or a text; a row with text and no value gets a value made up."""
        data, rows = self.cleaned_data, []
        for i in range(getattr(self, "option_count", 0)):
            label = {
                lang: data[f"option_{i}_{lang}"].strip()
                for lang in LANGUAGES
                if data[f"option_{i}_{lang}"].strip()
            }
            value = data[f"option_{i}_value"].strip()
            if not value and label:
                value = re.sub(r"[^a-z0-9]+", "_", next(iter(label.values())).lower()).strip("_")
            if value:
                rows.append({"value": value or f"option_{i + 1}", "label": label})
        return rows

    # The "show when" rule

    def _add_condition(self) -> None:
        choices = [("", _("Always"))] + [
            (f"{key}={value}", text) for key, value, text in self._answer_choices()
        ]
        current = self.field.get("show_if")
        simple = self._simple_initial(current)
        self.fields["show_when"] = forms.ChoiceField(
            label=_("Show this question"), choices=choices, required=False, initial=simple
        )
        self.fields["compare_field"] = forms.ChoiceField(
            label=_("Or: show when the answer to"),
            choices=[("", "—")] + [(f["key"], self._label(f)) for f in self.earlier],
            required=False,
        )
        self.fields["compare_op"] = forms.ChoiceField(
            label=_("Comparison"), choices=list(COMPARISONS.items()), required=False
        )
        self.fields["compare_value"] = forms.CharField(
            label=_("Value"), required=False, max_length=200
        )
        self.keeps_complex_rule = bool(current) and simple is None
        if self.keeps_complex_rule:
            self._complex_initial(current)

    def _label(self, field: dict) -> str:
        return Definition.text(field.get("label"), "nb") or field["key"]

    def _answer_choices(self):
        for f in self.earlier:
            if f["type"] == "yesno":
                for value, text in YES_NO.items():
                    yield f["key"], "true" if value else "false", f"«{self._label(f)}» = {text}"
            for option in f.get("options") or [] if f["type"] in CHOICE_TYPES else []:
                option_text = Definition.text(option.get("label"), "nb") or option["value"]
                yield f["key"], option["value"], f"«{self._label(f)}» = «{option_text}»"

    def _simple_initial(self, condition: Any) -> str | None:
        if not condition:
            return ""
        (op, arg), *rest = condition.items()
        if rest or not isinstance(arg, list) or len(arg) != 2:
            return None
        left, right = arg
        if op == "==" and isinstance(left, dict) and "var" in left:
            value = ("true" if right else "false") if isinstance(right, bool) else right
            return f"{left['var']}={value}"
        if op == "in" and isinstance(right, dict) and "var" in right:
            return f"{right['var']}={left}"
        return None

    def _complex_initial(self, condition: dict) -> None:
        (op, arg), *_rest = condition.items()
        if op in COMPARISONS and isinstance(arg, list) and isinstance(arg[0], dict):
            self.initial.update(
                compare_field=arg[0].get("var"), compare_op=op, compare_value=arg[1]
            )
            self.keeps_complex_rule = False

    def rule_chosen(self) -> bool:
        """False when a combined rule is kept because nothing else was chosen."""
        data = self.cleaned_data
        return not self.keeps_complex_rule or bool(
            data.get("show_when") or data.get("compare_field")
        )

    def condition(self) -> dict | None:
        data = self.cleaned_data
        if data.get("compare_field"):
            value: Any = data["compare_value"]
            if re.fullmatch(r"-?\d+", value or ""):
                value = int(value)
            return {data["compare_op"] or "==": [{"var": data["compare_field"]}, value]}
        if not data.get("show_when"):
            return None
        key, _sep, value = data["show_when"].partition("=")
        source = next((f for f in self.earlier if f["key"] == key), None)
        if source and source["type"] == "multichoice":
            return {"in": [value, {"var": key}]}
        if source and source["type"] == "yesno":
            return {"==": [{"var": key}, value == "true"]}
        return {"==": [{"var": key}, value]}

    # Cleaning

    def clean_key(self) -> str:
        key = self.cleaned_data["key"].strip()
        if not KEY_RE.match(key):
            raise ValidationError(_("Use small letters a–z, digits and _, starting with a letter."))
        return key

    def clean_pattern(self) -> str:
        pattern = self.cleaned_data.get("pattern", "")
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValidationError(
                _("This pattern is not a valid regular expression: %(error)s"),
                params={"error": error},
            ) from None
        return pattern

    def values(self) -> dict[str, Any]:
        data, ftype = self.cleaned_data, self.field["type"]
        values: dict[str, Any] = {"label": self.text("label")}
        if ftype != "info":
            values["help"] = self.text("help") or None
            values["required"] = data.get("required", False)
        for name in TYPE_SETTINGS[ftype]:
            if name in TEXT_SETTINGS:
                values[name] = self.text(name) or None
            else:
                value = data.get(name)
                values[name] = None if value in (None, "", []) else value
        if "decimals" in values or ftype == "decimal":
            for bound in ("min", "max"):
                if values.get(bound) is not None:
                    values[bound] = float(values[bound])
        if "prefill" in self.fields:
            values["prefill"] = data.get("prefill") or None
        return values
