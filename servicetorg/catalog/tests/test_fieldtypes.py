"""Field types: what each one accepts, what it refuses with which message, and how it renders."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import translation

from servicetorg.catalog.fieldtypes import FIELD_TYPES, Ctx, field_type
from servicetorg.identity.demo import demo_people


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def text(value: str) -> dict:
    return {"nb": value, "nn": value, "en": value}


def make(type_: str, **extra) -> dict:
    return {"key": "answer", "type": type_, "label": text("Answer"), **extra}


def clean(field: dict, raw):
    return field_type(field).clean(field, raw)


def refused(field: dict, raw) -> str:
    with pytest.raises(ValidationError) as caught:
        clean(field, raw)
    return caught.value.messages[0]


OPTIONS = [
    {"value": "a", "label": text("Alpha")},
    {"value": "b", "label": text("Beta")},
    {"value": 3, "label": text("Three")},
]


def test_it_knows_every_documented_field_type():
    assert set(FIELD_TYPES) == {
        "text",
        "textarea",
        "integer",
        "decimal",
        "amount",
        "date",
        "yesno",
        "choice",
        "multichoice",
        "email",
        "phone",
        "fnr",
        "orgnr",
        "address",
        "property",
        "file",
        "consent",
        "info",
        "group",
    }


def test_it_fails_loudly_on_an_unknown_type():
    with pytest.raises(ValueError, match="Unknown field type 'slider'"):
        field_type({"key": "x", "type": "slider"})


# text


def test_it_keeps_a_text():
    assert clean(make("text"), "Kari Nordmann") == "Kari Nordmann"


def test_it_treats_an_empty_optional_text_as_no_answer():
    assert clean(make("text"), "") is None


def test_it_asks_for_a_required_text():
    assert refused(make("text", required=True), "") == "Fill in this field."


def test_it_refuses_a_text_over_max_length():
    assert clean(make("text", max_length=5), "abcde") == "abcde"
    assert refused(make("text", max_length=5), "abcdef") == "Use at most 5 characters (you used 6)."


def test_it_limits_a_text_to_200_characters_by_default():
    assert clean(make("text"), "x" * 200) == "x" * 200
    assert refused(make("text"), "x" * 201) == "Use at most 200 characters (you used 201)."


def test_it_refuses_a_text_under_min_length():
    assert clean(make("text", min_length=3), "abc") == "abc"
    assert refused(make("text", min_length=3), "ab") == "Use at least 3 characters."


def test_it_matches_the_whole_text_against_the_pattern():
    field = make("text", pattern=r"\d{4}")
    assert clean(field, "6413") == "6413"
    assert refused(field, "64130") == "The answer is not in the expected format."
    assert refused(field, "x6413") == "The answer is not in the expected format."


def test_it_uses_the_pattern_message_in_the_active_language():
    field = make(
        "text",
        pattern=r"[A-Z]{2}\d{5}",
        pattern_message={
            "nb": "Skriv et regnr.",
            "nn": "Skriv eit regnr.",
            "en": "Write a registration number.",
        },
    )
    assert clean(field, "AB12345") == "AB12345"
    assert refused(field, "ab12345") == "Write a registration number."


@pytest.mark.parametrize("type_", ["text", "textarea"])
def test_it_keeps_null_characters_out_of_a_text(type_):
    try:
        value = clean(make(type_), "Kari\x00Nordmann")
    except ValidationError:
        return
    assert "\x00" not in value


# textarea


def test_it_keeps_the_lines_of_a_textarea():
    field = make("textarea")
    raw = field_type(field).raw_from_post(
        field, QueryDict("answer=%20line+1%0D%0Aline+2%20"), "answer"
    )
    assert raw == "line 1\nline 2"
    assert clean(field, raw) == "line 1\nline 2"


def test_it_limits_a_textarea_to_4000_characters_by_default():
    assert clean(make("textarea"), "x" * 4000) == "x" * 4000
    assert refused(make("textarea"), "x" * 4001) == "Use at most 4000 characters (you used 4001)."


# integer


def test_it_reads_a_whole_number():
    assert clean(make("integer"), "12") == 12
    assert clean(make("integer"), "-3") == -3


def test_it_refuses_a_number_outside_min_and_max():
    field = make("integer", min=1, max=20)
    assert clean(field, "1") == 1
    assert clean(field, "20") == 20
    assert refused(field, "0") == "The number must be at least 1."
    assert refused(field, "21") == "The number must be at most 20."


def test_it_refuses_decimals_in_a_whole_number():
    assert refused(make("integer"), "1.5") == "Write a whole number, without decimals."
    assert refused(make("integer"), "1,5") == "Write a whole number, without decimals."


@pytest.mark.parametrize("raw", ["twelve", "12kr", "NaN", "Infinity", "-"])
def test_it_refuses_what_is_not_a_number(raw):
    assert refused(make("integer"), raw) == "Write a number, like 12."


def test_it_refuses_exponent_notation_in_a_number():
    assert refused(make("integer"), "1e400") == "Write a number, like 12."


# decimal


def test_it_reads_a_decimal_number_with_comma_or_point():
    assert clean(make("decimal"), "12,50") == "12.50"
    assert clean(make("decimal"), "12.5") == "12.5"


def test_it_refuses_more_decimals_than_allowed():
    assert refused(make("decimal"), "1.255") == "Use at most 2 decimals."
    assert clean(make("decimal", decimals=1), "1.2") == "1.2"
    assert refused(make("decimal", decimals=1), "1.25") == "Use at most 1 decimal."


def test_it_checks_the_bounds_of_a_decimal():
    field = make("decimal", min=0.5, max=2)
    assert clean(field, "0.5") == "0.5"
    assert refused(field, "0.49") == "The number must be at least 0.5."
    assert refused(field, "2.01") == "The number must be at most 2."


# amount


def test_it_reads_an_amount_with_spaces():
    assert clean(make("amount"), "12 500") == 12500
    assert clean(make("amount"), "12\u00a0500") == 12500


def test_it_refuses_ore_in_an_amount():
    assert refused(make("amount"), "12 500,50") == "Write a whole number, without decimals."


def test_it_checks_the_bounds_of_an_amount():
    assert refused(make("amount", max=10000), "12 500") == "The number must be at most 10000."


def test_it_shows_an_amount_in_kroner():
    assert FIELD_TYPES["amount"].display(make("amount"), 12500, "en") == "12,500 kr"


# date


def test_it_reads_an_iso_date():
    assert clean(make("date"), "2026-05-17") == "2026-05-17"


def test_it_reads_a_norwegian_date():
    assert clean(make("date"), "17.05.2026") == "2026-05-17"


@pytest.mark.parametrize(
    "raw", ["31.02.2026", "2026-02-30", "17/05/2026", "tomorrow", "32.01.2026"]
)
def test_it_refuses_an_impossible_date(raw):
    assert refused(make("date"), raw) == "Write a real date as day.month.year, like 17.05.2026."


def test_it_checks_the_bounds_of_a_date():
    field = make("date", min="2026-01-01", max="2026-12-31")
    assert clean(field, "01.01.2026") == "2026-01-01"
    assert clean(field, "31.12.2026") == "2026-12-31"
    assert refused(field, "31.12.2025") == "The date cannot be before 01/01/2026."
    assert refused(field, "01.01.2027") == "The date cannot be after 12/31/2026."


def test_it_reads_today_as_a_bound():
    today = datetime.date.today()
    yesterday, tomorrow = today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)
    not_past = make("date", min="today")
    assert clean(not_past, today.isoformat()) == today.isoformat()
    assert clean(not_past, tomorrow.isoformat()) == tomorrow.isoformat()
    assert (
        refused(not_past, yesterday.isoformat()) == f"The date cannot be before {today:%m/%d/%Y}."
    )
    not_future = make("date", max="today")
    assert clean(not_future, yesterday.isoformat()) == yesterday.isoformat()
    assert (
        refused(not_future, tomorrow.isoformat()) == f"The date cannot be after {today:%m/%d/%Y}."
    )


# email


def test_it_reads_an_email_address():
    assert clean(make("email"), "kari@example.no") == "kari@example.no"


@pytest.mark.parametrize(
    "raw", ["kari", "kari@", "@example.no", "kari@example..no", "kari example.no"]
)
def test_it_refuses_a_bad_email_address(raw):
    assert refused(make("email"), raw) == "Write an e-mail address like name@example.no."


# phone


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("91234567", "91234567"),
        ("912 34 567", "91234567"),
        ("71 11 10 00", "71111000"),
        ("+47 912 34 567", "91234567"),
        ("0047 91234567", "91234567"),
        ("+46 70-123 45 67", "+46701234567"),
        ("0046701234567", "+46701234567"),
    ],
)
def test_it_reads_a_phone_number(raw, expected):
    assert clean(make("phone"), raw) == expected


@pytest.mark.parametrize(
    "raw", ["9123456", "912345678", "12345678", "+0123456789", "ring meg", "+47"]
)
def test_it_refuses_a_bad_phone_number(raw):
    assert (
        refused(make("phone"), raw)
        == "Write a Norwegian phone number of 8 digits, or + and the country code."
    )


# fnr


def test_it_reads_the_published_example_fnr():
    assert clean(make("fnr"), "02013299997") == "02013299997"
    assert clean(make("fnr"), "020132 99997") == "02013299997"


def test_it_refuses_an_fnr_with_a_bad_checksum():
    assert (
        refused(make("fnr"), "02013299998")
        == "Check the number: it is not a valid national identity number."
    )


def test_it_refuses_an_fnr_of_the_wrong_length():
    assert refused(make("fnr"), "0201329999") == "A national identity number has 11 digits."
    assert refused(make("fnr"), "0201329999x") == "A national identity number has 11 digits."


def test_it_refuses_an_fnr_without_a_birth_date():
    # Valid check digits, but day 32.
    assert refused(make("fnr"), "32019010189") == "The first six digits must be a date of birth."


def test_it_accepts_a_synthetic_fnr_where_allowed(settings):
    settings.ALLOW_SYNTHETIC_IDS = True
    synthetic = demo_people()[0].pid
    assert synthetic[2] in "89"
    assert clean(make("fnr"), synthetic) == synthetic


def test_it_refuses_a_synthetic_fnr_where_not_allowed(settings):
    settings.ALLOW_SYNTHETIC_IDS = False
    synthetic = demo_people()[0].pid
    assert refused(make("fnr"), synthetic) == "Test identity numbers are not accepted here."
    assert clean(make("fnr"), "02013299997") == "02013299997"


def test_it_shows_an_fnr_split_after_the_date():
    assert FIELD_TYPES["fnr"].display(make("fnr"), "02013299997", "en") == "020132 99997"


# orgnr


def test_it_reads_an_organisation_number():
    assert clean(make("orgnr"), "974760843") == "974760843"
    assert clean(make("orgnr"), "974 760 843") == "974760843"


def test_it_refuses_an_organisation_number_with_a_bad_check_digit():
    assert (
        refused(make("orgnr"), "974760844")
        == "Check the number: it is not a valid organisation number."
    )


def test_it_refuses_an_organisation_number_of_the_wrong_length():
    assert refused(make("orgnr"), "97476084") == "An organisation number has 9 digits."


# choice, multichoice, yesno


def test_it_reads_a_choice_as_the_option_value():
    field = make("choice", options=OPTIONS)
    assert clean(field, "a") == "a"
    assert clean(field, "3") == 3


def test_it_refuses_an_unknown_choice():
    assert refused(make("choice", options=OPTIONS), "c") == "Choose one of the options."


def test_it_asks_for_a_required_choice():
    assert (
        refused(make("choice", options=OPTIONS, required=True), "") == "Choose one of the options."
    )


def test_it_shows_a_choice_by_its_label():
    assert FIELD_TYPES["choice"].display(make("choice", options=OPTIONS), 3, "en") == "Three"


def test_it_reads_several_choices_once_each():
    field = make("multichoice", options=OPTIONS)
    raw = field_type(field).raw_from_post(
        field, QueryDict("answer=b&answer=a&answer=b&answer="), "answer"
    )
    assert raw == ["b", "a", "b"]
    assert clean(field, raw) == ["b", "a"]
    assert clean(field, ["3"]) == [3]


def test_it_refuses_an_unknown_multichoice_value():
    assert (
        refused(make("multichoice", options=OPTIONS), ["a", "z"])
        == "Choose among the options shown."
    )


def test_it_counts_multichoices_against_min_and_max():
    field = make("multichoice", options=OPTIONS, min_choices=2, max_choices=2)
    assert clean(field, ["a", "b"]) == ["a", "b"]
    assert refused(field, ["a"]) == "Choose at least 2."
    assert refused(field, ["a", "a"]) == "Choose at least 2."
    assert refused(field, ["a", "b", "3"]) == "Choose at most 2."


def test_it_shows_multichoices_by_their_labels():
    assert (
        FIELD_TYPES["multichoice"].display(make("multichoice", options=OPTIONS), ["a", 3], "en")
        == "Alpha, Three"
    )


def test_it_reads_yes_and_no_as_booleans():
    assert clean(make("yesno"), "yes") is True
    assert clean(make("yesno"), "no") is False


def test_it_refuses_anything_but_yes_or_no():
    assert refused(make("yesno"), "maybe") == "Choose yes or no."
    assert refused(make("yesno", required=True), "") == "Choose one of the options."


def test_it_shows_yes_and_no():
    assert FIELD_TYPES["yesno"].display(make("yesno"), True, "en") == "Yes"
    assert FIELD_TYPES["yesno"].display(make("yesno"), False, "en") == "No"
    assert FIELD_TYPES["yesno"].raw_from_value(make("yesno"), False) == "no"


# consent


def test_it_reads_a_ticked_consent():
    field = make("consent", required=True)
    raw = field_type(field).raw_from_post(field, QueryDict("answer=yes"), "answer")
    assert clean(field, raw) is True


def test_it_refuses_an_unticked_required_consent():
    field = make("consent", required=True)
    raw = field_type(field).raw_from_post(field, QueryDict("answer=on"), "answer")
    assert raw == ""
    assert refused(field, raw) == "You must confirm this to continue."


# address


ADDRESS = {"street": "Storgata 1", "postal_code": "6413", "place": "Molde"}


def test_it_reads_an_address_from_its_parts():
    field = make("address")
    data = QueryDict("answer-street=Storgata+1&answer-postal_code=6413&answer-place=+Molde+")
    raw = field_type(field).raw_from_post(field, data, "answer")
    assert clean(field, raw) == ADDRESS


@pytest.mark.parametrize("code", ["641", "64133", "64a3", ""])
def test_it_refuses_a_postal_code_that_is_not_four_digits(code):
    assert (
        refused(make("address"), {**ADDRESS, "postal_code": code}) == "A postal code has 4 digits."
    )


def test_it_asks_for_the_street_and_the_place():
    assert refused(make("address"), {**ADDRESS, "street": ""}) == "Write the street address."
    assert refused(make("address"), {**ADDRESS, "place": ""}) == "Write the place."


def test_it_treats_an_empty_address_as_no_answer():
    empty = {"street": "", "postal_code": "", "place": ""}
    assert clean(make("address"), empty) is None
    assert refused(make("address", required=True), empty) == "Fill in this field."


def test_it_shows_an_address_on_one_line():
    assert (
        FIELD_TYPES["address"].display(make("address"), ADDRESS, "en") == "Storgata 1, 6413 Molde"
    )


# property


def test_it_reads_a_property_as_whole_numbers():
    assert clean(make("property"), {"gnr": "12", "bnr": "34", "fnr": ""}) == {
        "gnr": 12,
        "bnr": 34,
        "fnr": None,
    }
    assert clean(make("property"), {"gnr": "12", "bnr": "34", "fnr": "5"}) == {
        "gnr": 12,
        "bnr": 34,
        "fnr": 5,
    }


@pytest.mark.parametrize(
    "gnr,bnr",
    [("12a", "34"), ("12", "3.4"), ("0", "34"), ("12", "-1"), ("", "34"), ("123456", "1")],
)
def test_it_refuses_a_property_number_that_is_not_whole(gnr, bnr):
    message = "Write the farm and holding numbers as whole numbers, like 12 and 34."
    assert refused(make("property"), {"gnr": gnr, "bnr": bnr, "fnr": ""}) == message


def test_it_refuses_a_leasehold_number_that_is_not_whole():
    assert (
        refused(make("property"), {"gnr": "12", "bnr": "34", "fnr": "x"})
        == "The leasehold number is a whole number."
    )


# file


FILES = [{"id": "1", "name": "a.pdf"}, {"id": "2", "name": "b.pdf"}, {"id": "3", "name": "c.pdf"}]


def test_it_allows_one_file_unless_multiple():
    assert clean(make("file"), FILES[:1]) == FILES[:1]
    assert refused(make("file"), FILES[:2]) == "Attach at most 1 file."


def test_it_counts_files_against_max_files():
    field = make("file", multiple=True, max_files=2)
    assert clean(field, FILES[:2]) == FILES[:2]
    assert refused(field, FILES) == "Attach at most 2 files."


def test_it_asks_for_a_required_file():
    assert refused(make("file", required=True), []) == "Attach a file."


# info


def test_it_stores_nothing_for_an_info_block():
    field = {"key": "about", "type": "info", "label": text("About"), "body": text("Read this.")}
    assert clean(field, "anything") is None


# rendering


SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def render(field: dict, raw, error: str | None = None, name: str = "answer") -> str:
    return str(field_type(field).render(Ctx(field, name, raw, error, "en")))


def test_it_escapes_a_raw_value_when_rendering():
    html = render(make("text"), SCRIPT)
    assert f'value="{ESCAPED}"' in html
    assert "<script" not in html


def test_it_escapes_a_label_when_rendering():
    html = render({"key": "answer", "type": "text", "label": text(SCRIPT)}, "")
    assert ESCAPED in html
    assert "<script" not in html


def test_it_escapes_a_textarea_value_and_a_choice_label():
    assert "<script" not in render(make("textarea"), SCRIPT)
    assert ESCAPED in render(make("textarea"), SCRIPT)
    options = [{"value": '"><b>', "label": text(SCRIPT)}]
    html = render(make("choice", options=options), "")
    assert "<script" not in html
    assert 'value="&quot;&gt;&lt;b&gt;"' in html


def test_it_pairs_the_label_with_the_input():
    html = render(make("text", required=True), "Kari")
    assert '<label class="ds-label" for="id_answer">Answer</label>' in html
    assert 'id="id_answer" name="answer" value="Kari"' in html
    assert "aria-invalid" not in html


def test_it_marks_an_input_with_an_error():
    html = render(make("text", required=True), "", error="Fill in this field.")
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_answer-error"' in html
    error = '<div class="ds-validation-message" data-color="danger" id="id_answer-error">'
    assert f"{error}Fill in this field.</div>" in html


def test_it_escapes_an_error_message():
    html = render(make("text"), "", error=f"The file {SCRIPT}.pdf is empty.")
    assert f"The file {ESCAPED}.pdf is empty." in html
    assert "<script" not in html


def test_it_marks_an_optional_field():
    assert '<span class="optional">(optional)</span>' in render(make("text"), "")
    assert "optional" not in render(make("text", required=True), "")


def test_it_renders_a_group_row_field_under_its_own_name():
    html = render(make("text"), "Per", name="members-0-member_name")
    assert 'for="id_members-0-member_name"' in html
    assert 'id="id_members-0-member_name" name="members-0-member_name" value="Per"' in html
