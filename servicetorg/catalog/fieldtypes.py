"""Field types of the form engine: how each one reads, cleans, shows and renders its answer.

Each type is a small class; `FIELD_TYPES` maps the definition's `type` to it and an unknown
type fails loudly. Rendering builds HTML with `format_html` instead of Django's widget
templates: the same markup at a fraction of the cost, and every value is escaped.
"""

import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from servicetorg.catalog.definitions import Definition
from servicetorg.lib import idnumbers

EMPTY = (None, "", [], {})
# (fetched from, did not answer) for each register, as whole sentences for the translators.
REGISTER_NOTES = {
    "folkeregisteret": (
        lambda: _("Fetched from the National Population Register"),
        lambda: _("The National Population Register did not answer, so fill this in yourself."),
    ),
    "krr": (
        lambda: _("Fetched from the Common Contact Register"),
        lambda: _("The Common Contact Register did not answer, so fill this in yourself."),
    ),
}
NUMBER = re.compile(r"-?\d{1,15}(\.\d{1,10})?")


class Ctx:
    """What rendering one field needs: its input name, the raw value, the error, the language."""

    def __init__(self, field: dict, name: str, raw: Any, error: str | None, lang: str) -> None:
        self.field, self.name, self.raw, self.error, self.lang = field, name, raw, error, lang
        self.id = f"id_{name}"

    def t(self, key: str) -> str:
        return Definition.text(self.field.get(key), self.lang)

    @property
    def required(self) -> bool:
        return bool(self.field.get("required"))

    def describedby(self) -> str:
        ids = []
        if self.field.get("help"):
            ids.append(f"{self.id}-help")
        if self.error:
            ids.append(f"{self.id}-error")
        return " ".join(ids)

    def register_note(self) -> SafeString:
        """Say where a prefilled answer came from, or that the register did not answer."""
        if self.field.get("_source"):
            text = REGISTER_NOTES[self.field["_source"]][0]()
            return format_html(
                '<div class="ds-paragraph register-note" data-size="sm"><span class="ds-tag" data-color="info">{}</span></div>',
                text,
            )
        if self.field.get("_unavailable"):
            text = REGISTER_NOTES[self.field["_unavailable"]][1]()
            return format_html(
                '<div class="ds-paragraph register-note" data-size="sm">{}</div>', text
            )
        return mark_safe("")

    def aria(self) -> SafeString:
        """aria-describedby / aria-invalid attributes for the input."""
        attrs = (
            format_html(' aria-describedby="{}"', self.describedby()) if self.describedby() else ""
        )
        if self.error:
            attrs = format_html('{} aria-invalid="true"', attrs)
        return mark_safe(attrs)

    def label_text(self) -> SafeString:
        suffix = (
            ""
            if self.required
            else format_html(' <span class="optional">({})</span>', _("optional"))
        )
        return format_html("{}{}", self.t("label"), suffix)

    def help_and_error(self) -> SafeString:
        parts = [self.register_note()]
        if self.field.get("help"):
            parts.append(
                format_html(
                    '<div class="ds-paragraph help" data-size="sm" id="{}-help">{}</div>',
                    self.id,
                    self.t("help"),
                )
            )
        if self.error:
            parts.append(
                format_html(
                    '<div class="ds-validation-message" data-color="danger" id="{}-error">{}</div>',
                    self.id,
                    self.error,
                )
            )
        return mark_safe("".join(parts))


def text_input(
    ctx: Ctx, input_type: str = "text", extra: str = "", value: Any = None
) -> SafeString:
    value = ctx.raw if value is None else value
    if "_locked" in ctx.field:
        extra += " readonly"
    return format_html(
        '<input class="ds-input" type="{}" id="{}" name="{}" value="{}"{}{}>',
        input_type,
        ctx.id,
        ctx.name,
        "" if value is None else value,
        ctx.aria(),
        mark_safe(extra),
    )


def field_wrapper(ctx: Ctx, control: SafeString) -> SafeString:
    return format_html(
        '<div class="ds-field field" data-key="{}"><label class="ds-label" for="{}">{}</label>{}{}</div>',
        ctx.field["key"],
        ctx.id,
        ctx.label_text(),
        ctx.help_and_error(),
        control,
    )


def fieldset_wrapper(ctx: Ctx, body: SafeString) -> SafeString:
    return format_html(
        '<fieldset class="ds-fieldset field" data-key="{}" id="{}"{}><legend class="ds-label">{}</legend>{}{}</fieldset>',
        ctx.field["key"],
        ctx.id,
        ctx.aria(),
        ctx.label_text(),
        ctx.help_and_error(),
        body,
    )


def one(data: QueryDict, name: str) -> str:
    # NUL never belongs in an answer, and PostgreSQL refuses it in JSON.
    return data.get(name, "").replace("\x00", "").strip()


class FieldType:
    """A text input; subclasses change what they accept and how they render."""

    input_type = "text"
    autocomplete = ""
    inputmode = ""

    def raw_from_post(self, field: dict, data: QueryDict, name: str) -> Any:
        return one(data, name)

    def raw_from_value(self, field: dict, value: Any) -> Any:
        return "" if value is None else str(value)

    def is_empty(self, raw: Any) -> bool:
        return raw in EMPTY

    def clean(self, field: dict, raw: Any) -> Any:
        if self.is_empty(raw):
            if field.get("required"):
                raise ValidationError(self.required_message(field))
            return None
        return self.convert(field, raw)

    def required_message(self, field: dict) -> str:
        return _("Fill in this field.")

    def convert(self, field: dict, raw: Any) -> Any:
        return raw

    def extra_attrs(self, ctx: Ctx) -> str:
        attrs = ""
        if self.autocomplete:
            attrs += f' autocomplete="{self.autocomplete}"'
        if self.inputmode:
            attrs += f' inputmode="{self.inputmode}"'
        return attrs

    def render(self, ctx: Ctx) -> SafeString:
        return field_wrapper(ctx, text_input(ctx, self.input_type, self.extra_attrs(ctx)))

    def display(self, field: dict, value: Any, lang: str) -> str:
        return "" if value in EMPTY else str(value)


class TextType(FieldType):
    default_max = 200

    def convert(self, field: dict, raw: str) -> str:
        raw = raw.replace("\x00", "")
        max_length = field.get("max_length", self.default_max)
        min_length = field.get("min_length", 0)
        if len(raw) > max_length:
            raise ValidationError(
                _("Use at most %(n)d characters (you used %(used)d).")
                % {"n": max_length, "used": len(raw)}
            )
        if len(raw) < min_length:
            raise ValidationError(_("Use at least %(n)d characters.") % {"n": min_length})
        pattern = field.get("pattern")
        if pattern and not re.fullmatch(pattern, raw):
            message = Definition.text(field.get("pattern_message"), _lang())
            raise ValidationError(message or _("The answer is not in the expected format."))
        return raw

    def extra_attrs(self, ctx: Ctx) -> str:
        return (
            f' maxlength="{ctx.field.get("max_length", self.default_max)}"'
            + super().extra_attrs(ctx)
        )


class TextareaType(TextType):
    default_max = 4000

    def raw_from_post(self, field: dict, data: QueryDict, name: str) -> str:
        return one(data, name).replace("\r\n", "\n")

    def render(self, ctx: Ctx) -> SafeString:
        control = format_html(
            '<textarea class="ds-input" id="{}" name="{}" rows="5" maxlength="{}"{}>{}</textarea>',
            ctx.id,
            ctx.name,
            ctx.field.get("max_length", self.default_max),
            ctx.aria(),
            ctx.raw or "",
        )
        return field_wrapper(ctx, control)


def _lang() -> str:
    from django.utils.translation import get_language

    return get_language() or "nb"


class NumberType(FieldType):
    inputmode = "numeric"

    def parse(self, raw: str) -> Decimal:
        cleaned = raw.replace(" ", "").replace("\u00a0", "").replace(",", ".")
        # Plain digits only: exponents like 1e1000000 would cost seconds of CPU.
        if not NUMBER.fullmatch(cleaned):
            raise ValidationError(_("Write a number, like 12."))
        return Decimal(cleaned)

    def check_bounds(self, field: dict, number: Decimal) -> None:
        if "min" in field and number < Decimal(str(field["min"])):
            raise ValidationError(_("The number must be at least %(min)s.") % {"min": field["min"]})
        if "max" in field and number > Decimal(str(field["max"])):
            raise ValidationError(_("The number must be at most %(max)s.") % {"max": field["max"]})

    def convert(self, field: dict, raw: str) -> int:
        number = self.parse(raw)
        if number != number.to_integral_value():
            raise ValidationError(_("Write a whole number, without decimals."))
        self.check_bounds(field, number)
        return int(number)


class AmountType(NumberType):
    def render(self, ctx: Ctx) -> SafeString:
        control = format_html(
            '<div class="amount">{}<span class="unit" aria-hidden="true">kr</span></div>',
            text_input(ctx, "text", self.extra_attrs(ctx)),
        )
        return field_wrapper(ctx, control)

    def display(self, field: dict, value: Any, lang: str) -> str:
        return (
            ""
            if value is None
            else f"{formats.number_format(value, 0, use_l10n=True, force_grouping=True)} kr"
        )


class DecimalType(NumberType):
    inputmode = "decimal"

    def convert(self, field: dict, raw: str) -> str:
        number = self.parse(raw)
        decimals = field.get("decimals", 2)
        if -number.as_tuple().exponent > decimals:  # type: ignore[operator]
            raise ValidationError(
                ngettext("Use at most %(n)d decimal.", "Use at most %(n)d decimals.", decimals)
                % {"n": decimals}
            )
        self.check_bounds(field, number)
        return str(number)

    def display(self, field: dict, value: Any, lang: str) -> str:
        return "" if value is None else formats.number_format(Decimal(value), use_l10n=True)


class DateType(FieldType):
    input_type = "date"

    def convert(self, field: dict, raw: str) -> str:
        date = self.parse(raw)
        for bound, compare, message in (
            ("min", lambda d, b: d < b, _("The date cannot be before %(date)s.")),
            ("max", lambda d, b: d > b, _("The date cannot be after %(date)s.")),
        ):
            if bound in field:
                limit = bound_date(field[bound])
                if compare(date, limit):
                    raise ValidationError(
                        message % {"date": formats.date_format(limit, "SHORT_DATE_FORMAT")}
                    )
        return date.isoformat()

    def parse(self, raw: str) -> datetime.date:
        for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return datetime.datetime.strptime(raw, pattern).date()
            except ValueError:
                continue
        raise ValidationError(_("Write a real date as day.month.year, like 17.05.2026."))

    def display(self, field: dict, value: Any, lang: str) -> str:
        if not value:
            return ""
        return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")


def bound_date(value: str) -> datetime.date:
    if value == "today":
        return datetime.date.today()
    return datetime.date.fromisoformat(str(value))


class EmailType(FieldType):
    input_type = "email"
    autocomplete = "email"

    def convert(self, field: dict, raw: str) -> str:
        try:
            return forms.EmailField(max_length=254).clean(raw)
        except ValidationError:
            raise ValidationError(_("Write an e-mail address like name@example.no.")) from None


PHONE_NO = re.compile(r"(?:\+47|0047)?([2-9]\d{7})")
PHONE_INTL = re.compile(r"(?:\+|00)([1-9]\d{6,14})")


class PhoneType(FieldType):
    input_type = "tel"
    autocomplete = "tel"

    def convert(self, field: dict, raw: str) -> str:
        compact = re.sub(r"[\s\-().]", "", raw)
        if match := PHONE_NO.fullmatch(compact):
            return match.group(1)
        if match := PHONE_INTL.fullmatch(compact):
            return f"+{match.group(1)}"
        raise ValidationError(
            _("Write a Norwegian phone number of 8 digits, or + and the country code.")
        )


class FnrType(FieldType):
    inputmode = "numeric"

    def convert(self, field: dict, raw: str) -> str:
        value = re.sub(r"\s", "", raw)
        problem = idnumbers.fnr_problem(value, allow_synthetic=settings.ALLOW_SYNTHETIC_IDS)
        messages = {
            "format": _("A national identity number has 11 digits."),
            "date": _("The first six digits must be a date of birth."),
            "checksum": _("Check the number: it is not a valid national identity number."),
            "synthetic": _("Test identity numbers are not accepted here."),
        }
        if problem:
            raise ValidationError(messages.get(problem, messages["checksum"]))
        return value

    def display(self, field: dict, value: Any, lang: str) -> str:
        return "" if not value else f"{value[:6]} {value[6:]}"


class OrgnrType(FieldType):
    inputmode = "numeric"

    def convert(self, field: dict, raw: str) -> str:
        value = re.sub(r"\s", "", raw)
        if not re.fullmatch(r"\d{9}", value):
            raise ValidationError(_("An organisation number has 9 digits."))
        if not idnumbers.is_valid_orgnr(value):
            raise ValidationError(_("Check the number: it is not a valid organisation number."))
        return value

    def display(self, field: dict, value: Any, lang: str) -> str:
        return "" if not value else f"{value[:3]} {value[3:6]} {value[6:]}"


class ChoiceType(FieldType):
    def options(self, field: dict) -> list[dict]:
        return field.get("options", [])

    def label_of(self, field: dict, value: Any, lang: str) -> str:
        for option in self.options(field):
            if str(option["value"]) == str(value):
                return Definition.text(option["label"], lang)
        return str(value)

    def required_message(self, field: dict) -> str:
        return _("Choose one of the options.")

    def convert(self, field: dict, raw: str) -> Any:
        for option in self.options(field):
            if str(option["value"]) == raw:
                return option["value"]
        raise ValidationError(_("Choose one of the options."))

    def render(self, ctx: Ctx) -> SafeString:
        if ctx.field.get("widget") == "select":
            return self.render_select(ctx)
        return fieldset_wrapper(ctx, self.radios(ctx, self.options(ctx.field)))

    def radios(self, ctx: Ctx, options: list[dict], input_type: str = "radio") -> SafeString:
        chosen = ctx.raw if isinstance(ctx.raw, list) else [ctx.raw]
        return format_html_join(
            "",
            '<div class="ds-field choice"><input class="ds-input" type="{}" id="{}-{}" name="{}" value="{}"{}><label class="ds-label" data-weight="regular" for="{}-{}">{}</label></div>',
            (
                (
                    input_type,
                    ctx.id,
                    i,
                    ctx.name,
                    o["value"],
                    mark_safe(" checked") if str(o["value"]) in map(str, chosen) else "",
                    ctx.id,
                    i,
                    Definition.text(o["label"], ctx.lang),
                )
                for i, o in enumerate(options)
            ),
        )

    def render_select(self, ctx: Ctx) -> SafeString:
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    o["value"],
                    mark_safe(" selected") if str(o["value"]) == ctx.raw else "",
                    Definition.text(o["label"], ctx.lang),
                )
                for o in self.options(ctx.field)
            ),
        )
        control = format_html(
            '<select class="ds-input" id="{}" name="{}"{}><option value="">{}</option>{}</select>',
            ctx.id,
            ctx.name,
            ctx.aria(),
            _("Choose …"),
            options,
        )
        return field_wrapper(ctx, control)

    def display(self, field: dict, value: Any, lang: str) -> str:
        return "" if value in EMPTY else self.label_of(field, value, lang)


class YesNoType(ChoiceType):
    def options(self, field: dict) -> list[dict]:
        return [
            {"value": "yes", "label": {_lang(): _("Yes")}},
            {"value": "no", "label": {_lang(): _("No")}},
        ]

    def raw_from_value(self, field: dict, value: Any) -> str:
        return "" if value is None else ("yes" if value else "no")

    def convert(self, field: dict, raw: str) -> bool:
        if raw not in ("yes", "no"):
            raise ValidationError(_("Choose yes or no."))
        return raw == "yes"

    def display(self, field: dict, value: Any, lang: str) -> str:
        return "" if value is None else (_("Yes") if value else _("No"))


class MultiChoiceType(ChoiceType):
    def raw_from_post(self, field: dict, data: QueryDict, name: str) -> list[str]:
        return [v for v in data.getlist(name) if v]

    def raw_from_value(self, field: dict, value: Any) -> list[str]:
        return [str(v) for v in value or []]

    def convert(self, field: dict, raw: list[str]) -> list:
        allowed = {str(o["value"]): o["value"] for o in self.options(field)}
        if any(v not in allowed for v in raw):
            raise ValidationError(_("Choose among the options shown."))
        chosen = [allowed[v] for v in dict.fromkeys(raw)]
        if len(chosen) < field.get("min_choices", 0):
            raise ValidationError(_("Choose at least %(n)d.") % {"n": field["min_choices"]})
        if "max_choices" in field and len(chosen) > field["max_choices"]:
            raise ValidationError(_("Choose at most %(n)d.") % {"n": field["max_choices"]})
        return chosen

    def render(self, ctx: Ctx) -> SafeString:
        return fieldset_wrapper(ctx, self.radios(ctx, self.options(ctx.field), "checkbox"))

    def display(self, field: dict, value: Any, lang: str) -> str:
        return ", ".join(self.label_of(field, v, lang) for v in value or [])


class ConsentType(FieldType):
    def raw_from_post(self, field: dict, data: QueryDict, name: str) -> str:
        return "yes" if data.get(name) == "yes" else ""

    def raw_from_value(self, field: dict, value: Any) -> str:
        return "yes" if value else ""

    def required_message(self, field: dict) -> str:
        return _("You must confirm this to continue.")

    def convert(self, field: dict, raw: str) -> bool:
        return True

    def render(self, ctx: Ctx) -> SafeString:
        control = format_html(
            '<div class="ds-field choice"><input class="ds-input" type="checkbox" id="{}" name="{}" value="yes"{}{}><label class="ds-label" data-weight="regular" for="{}">{}</label></div>',
            ctx.id,
            ctx.name,
            mark_safe(" checked") if ctx.raw else "",
            ctx.aria(),
            ctx.id,
            ctx.label_text(),
        )
        return format_html(
            '<div class="field consent" data-key="{}">{}{}</div>',
            ctx.field["key"],
            ctx.help_and_error(),
            control,
        )

    def display(self, field: dict, value: Any, lang: str) -> str:
        return _("Confirmed") if value else ""


class InfoType(FieldType):
    """Text for the resident; no answer."""

    def raw_from_post(self, field: dict, data: QueryDict, name: str) -> None:
        return None

    def clean(self, field: dict, raw: Any) -> None:
        return None

    def render(self, ctx: Ctx) -> SafeString:
        paragraphs = format_html_join(
            "", "<p>{}</p>", ((p,) for p in ctx.t("body").split("\n\n") if p.strip())
        )
        heading = format_html("<h3>{}</h3>", ctx.t("label")) if ctx.field.get("label") else ""
        return format_html(
            '<div class="ds-alert info-block" data-color="info">{}{}</div>', heading, paragraphs
        )


class CompoundType(FieldType):
    """Several inputs stored as one dict answer (address, property)."""

    parts: tuple[tuple[str, str, str, int], ...] = ()  # (name, label, autocomplete, maxlength)

    def part_labels(self) -> dict[str, str]:
        return {}

    def raw_from_post(self, field: dict, data: QueryDict, name: str) -> dict[str, str]:
        return {part: one(data, f"{name}-{part}") for part, *_rest in self.parts}

    def raw_from_value(self, field: dict, value: Any) -> dict[str, str]:
        return {part: str((value or {}).get(part) or "") for part, *_rest in self.parts}

    def is_empty(self, raw: Any) -> bool:
        return not any((raw or {}).values())

    def render(self, ctx: Ctx) -> SafeString:
        labels = self.part_labels()
        raw = ctx.raw or {}
        inputs = format_html_join(
            "",
            '<div class="ds-field part part-{}"><label class="ds-label" data-weight="regular" for="{}-{}">{}</label><input class="ds-input" type="text" id="{}-{}" name="{}-{}" value="{}" maxlength="{}"{}{}></div>',
            (
                (
                    part,
                    ctx.id,
                    part,
                    labels[part],
                    ctx.id,
                    part,
                    ctx.name,
                    part,
                    raw.get(part, ""),
                    maxlength,
                    mark_safe(f' autocomplete="{auto}"') if auto else "",
                    ctx.aria(),
                )
                for part, _label, auto, maxlength in self.parts
            ),
        )
        return fieldset_wrapper(ctx, format_html('<div class="parts">{}</div>', inputs))


class AddressType(CompoundType):
    parts = (
        ("street", "", "street-address", 200),
        ("postal_code", "", "postal-code", 4),
        ("place", "", "address-level2", 100),
    )

    def part_labels(self) -> dict[str, str]:
        return {"street": _("Street address"), "postal_code": _("Postal code"), "place": _("Place")}

    def convert(self, field: dict, raw: dict[str, str]) -> dict[str, str]:
        if not raw["street"]:
            raise ValidationError(_("Write the street address."))
        if not re.fullmatch(r"\d{4}", raw["postal_code"]):
            raise ValidationError(_("A postal code has 4 digits."))
        if not raw["place"]:
            raise ValidationError(_("Write the place."))
        return dict(raw)

    def display(self, field: dict, value: Any, lang: str) -> str:
        return "" if not value else f"{value['street']}, {value['postal_code']} {value['place']}"


class PropertyType(CompoundType):
    parts = (("gnr", "", "", 5), ("bnr", "", "", 5), ("fnr", "", "", 5))

    def part_labels(self) -> dict[str, str]:
        return {
            "gnr": _("Farm number (gnr.)"),
            "bnr": _("Holding number (bnr.)"),
            "fnr": _("Leasehold number (fnr.), if any"),
        }

    def convert(self, field: dict, raw: dict[str, str]) -> dict[str, int | None]:
        if not re.fullmatch(r"[1-9]\d{0,4}", raw["gnr"]) or not re.fullmatch(
            r"[1-9]\d{0,4}", raw["bnr"]
        ):
            raise ValidationError(
                _("Write the farm and holding numbers as whole numbers, like 12 and 34.")
            )
        if raw["fnr"] and not re.fullmatch(r"[1-9]\d{0,4}", raw["fnr"]):
            raise ValidationError(_("The leasehold number is a whole number."))
        return {
            "gnr": int(raw["gnr"]),
            "bnr": int(raw["bnr"]),
            "fnr": int(raw["fnr"]) if raw["fnr"] else None,
        }

    def display(self, field: dict, value: Any, lang: str) -> str:
        if not value:
            return ""
        text = f"{_('gnr.')} {value['gnr']} {_('bnr.')} {value['bnr']}"
        return f"{text} {_('fnr.')} {value['fnr']}" if value.get("fnr") else text


class FileType(FieldType):
    """Attachments: the raw value is the list of stored attachments ({id, name})."""

    def raw_from_post(self, field: dict, data: QueryDict, name: str) -> list:
        return []

    def raw_from_value(self, field: dict, value: Any) -> list:
        return list(value or [])

    def required_message(self, field: dict) -> str:
        return _("Attach a file.")

    def convert(self, field: dict, raw: list) -> list:
        limit = field.get("max_files", 5) if field.get("multiple") else 1
        if len(raw) > limit:
            raise ValidationError(
                ngettext("Attach at most %(n)d file.", "Attach at most %(n)d files.", limit)
                % {"n": limit}
            )
        return raw

    def render(self, ctx: Ctx) -> SafeString:
        accept = ",".join(ACCEPT_MIME[a] for a in ctx.field.get("accept", list(ACCEPT_MIME)))
        attached = format_html_join(
            "",
            '<li><span class="file-name">{}</span> <button class="ds-button" data-variant="tertiary" data-size="sm" type="submit" name="_action" value="remove-file:{}:{}">{}<span class="ds-sr-only"> {}</span></button></li>',
            ((a["name"], ctx.field["key"], a["id"], _("Remove"), a["name"]) for a in ctx.raw or []),
        )
        listing = format_html('<ul class="attached">{}</ul>', attached) if ctx.raw else ""
        hint = format_html(
            '<div class="ds-paragraph help" data-size="sm">{}</div>', file_hint(ctx.field)
        )
        control = format_html(
            '{}{}<input class="ds-input" type="file" id="{}" name="{}" accept="{}"{}{}>',
            listing,
            hint,
            ctx.id,
            ctx.name,
            accept,
            mark_safe(" multiple") if ctx.field.get("multiple") else "",
            ctx.aria(),
        )
        return field_wrapper(ctx, control)

    def display(self, field: dict, value: Any, lang: str) -> str:
        return ", ".join(a["name"] for a in value or [])


ACCEPT_MIME = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


def file_hint(field: dict) -> str:
    kinds = ", ".join(k.upper() for k in field.get("accept", list(ACCEPT_MIME)))
    return _("Allowed: %(kinds)s, at most %(mb)d MB per file.") % {
        "kinds": kinds,
        "mb": max_size_mb(field),
    }


def max_size_mb(field: dict) -> int:
    return min(int(field.get("max_size_mb", 10)), settings.UPLOAD_MAX_MB)


class GroupType(FieldType):
    """A repeating group; the engine renders and cleans its rows (see engine.py)."""


FIELD_TYPES: dict[str, FieldType] = {
    "text": TextType(),
    "textarea": TextareaType(),
    "integer": NumberType(),
    "decimal": DecimalType(),
    "amount": AmountType(),
    "date": DateType(),
    "yesno": YesNoType(),
    "choice": ChoiceType(),
    "multichoice": MultiChoiceType(),
    "email": EmailType(),
    "phone": PhoneType(),
    "fnr": FnrType(),
    "orgnr": OrgnrType(),
    "address": AddressType(),
    "property": PropertyType(),
    "file": FileType(),
    "consent": ConsentType(),
    "info": InfoType(),
    "group": GroupType(),
}


def field_type(field: dict) -> FieldType:
    try:
        return FIELD_TYPES[field["type"]]
    except KeyError:
        raise ValueError(f"Unknown field type {field.get('type')!r}") from None
