"""Tests for servicetorg.lib.idnumbers (no database).

The check-digit arithmetic below is an independent oracle written from the rules in
NORWAY.md, so the tests do not merely repeat the implementation.
"""

import datetime

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum.exceptions import ValidationError
from stdnum.no import fodselsnummer

from servicetorg.lib.idnumbers import (
    birth_date,
    fnr_problem,
    generate_synthetic_fnr,
    is_synthetic_fnr,
    is_valid_fnr,
    is_valid_orgnr,
)

# No example database: nothing is written into the source tree.
SETTINGS = settings(deadline=None, database=None, max_examples=200)

W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
ORG_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def weighted(weights: tuple[int, ...], digits: str) -> int:
    return sum(w * int(d) for w, d in zip(weights, digits, strict=False))


def k1_remainder(number: str) -> int:
    return (weighted(W1, number) + int(number[9])) % 11


def k2_remainder(number: str) -> int:
    return (weighted(W2, number) + int(number[10])) % 11


def complete(base: str, remainder: int = 0) -> str | None:
    """Append K1 (so that the K1 remainder is `remainder`) and K2; None if either is 10."""
    k1 = (remainder - weighted(W1, base)) % 11
    if k1 == 10:
        return None
    k2 = -weighted(W2, base + str(k1)) % 11
    if k2 == 10:
        return None
    return f"{base}{k1}{k2}"


def first_complete(prefix6: str, individuals=range(1000), remainder: int = 0) -> str:
    """The first number with this date part whose check digits exist."""
    for individual in individuals:
        number = complete(f"{prefix6}{individual:03d}", remainder)
        if number:
            return number
    raise AssertionError("no completion found")


def individual_ranges(year: int) -> list[range]:
    """Individual numbers that encode `year`'s century (NORWAY.md table)."""
    if year < 1900:
        return [range(500, 750)]
    if year < 2000:
        return [range(0, 500)] + ([range(900, 1000)] if year % 100 >= 40 else [])
    return [range(500, 1000)]


def synthetic_base(birth: datetime.date, individual: int, d_number: bool) -> str:
    day = birth.day + (40 if d_number else 0)
    return f"{day:02d}{birth.month + 80:02d}{birth.year % 100:02d}{individual:03d}"


@st.composite
def legacy_births(draw) -> tuple[datetime.date, int, bool]:
    birth = draw(st.dates(datetime.date(1854, 1, 1), datetime.date(2039, 12, 31)))
    individual = draw(st.sampled_from(draw(st.sampled_from(individual_ranges(birth.year)))))
    return birth, individual, draw(st.booleans())


@st.composite
def synthetic_numbers(draw) -> tuple[str, datetime.date]:
    birth, individual, d_number = draw(legacy_births())
    number = generate_synthetic_fnr(birth, individual, d_number=d_number)
    assume(number is not None)
    return number, birth


@st.composite
def numbers_2032(draw) -> str:
    """Numbers valid only under the 2032 rule (K1 remainder 1-3), plain/D/H/synthetic."""
    birth = draw(st.dates(datetime.date(1900, 1, 1), datetime.date(2099, 12, 31)))
    day = birth.day + draw(st.sampled_from([0, 40]))
    month = birth.month + draw(st.sampled_from([0, 40, 80]))
    base = f"{day:02d}{month:02d}{birth.year % 100:02d}{draw(st.integers(0, 999)):03d}"
    number = complete(base, draw(st.sampled_from([1, 2, 3])))
    assume(number is not None)
    return number


# --- published examples -------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "born"),
    [("02013299997", datetime.date(2032, 1, 2)), ("30108299920", datetime.date(1982, 10, 30))],
)
def test_published_legacy_examples(number, born):
    assert is_valid_fnr(number, allow_synthetic=False)
    assert fnr_problem(number, allow_synthetic=False) is None
    assert not is_synthetic_fnr(number)
    assert birth_date(number) == born


def test_published_2032_example_is_accepted():
    number = "30108299939"
    assert k1_remainder(number) == 1  # not a legacy number
    assert not fodselsnummer.is_valid(number)  # stdnum alone would refuse it
    assert is_valid_fnr(number, allow_synthetic=False)
    assert birth_date(number) is None  # century not encoded under the 2032 rule


def test_published_synthetic_d_number():
    number = "45840375084"
    assert is_synthetic_fnr(number)
    assert is_valid_fnr(number, allow_synthetic=True)
    assert not is_valid_fnr(number, allow_synthetic=False)
    assert fnr_problem(number, allow_synthetic=False) == "synthetic"
    assert fnr_problem(number, allow_synthetic=True) is None
    assert birth_date(number) == datetime.date(2003, 4, 5)


# --- format ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "",
        "0201329999",  # 10 digits
        "020132999970",  # 12 digits
        "0201329999A",
        "O2013299997",  # letter O
        "020132.99997",
        "020132-99997",
        "020132\t99997",
        "０２０１３２９９９９７",  # full-width digits
        "²2013299997",
    ],
)
def test_format_refused(value):
    assert fnr_problem(value, allow_synthetic=True) == "format"
    assert not is_valid_fnr(value, allow_synthetic=True)
    assert not is_synthetic_fnr(value)
    assert birth_date(value) is None


def test_spaces_are_stripped():
    assert is_valid_fnr("  020132 99997\n", allow_synthetic=False)
    assert is_valid_fnr("020 132 999 97", allow_synthetic=False)
    assert birth_date(" 301082 99920 ") == datetime.date(1982, 10, 30)


# --- checksum ---------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["02013299996", "30108299921", "45840375085", "02013299987"])
def test_wrong_check_digits(number):
    assert fnr_problem(number, allow_synthetic=True) == "checksum"


def test_k1_remainder_4_is_refused_even_with_good_k2():
    number = first_complete("301082", remainder=4)
    assert k2_remainder(number) == 0
    assert fnr_problem(number, allow_synthetic=True) == "checksum"


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix6",
    [
        "310290",  # 31 February
        "300284",  # 30 February
        "290201",  # 29 February in a year that is not a leap year in any century
        "310490",  # 31 April
        "000190",
        "320190",
        "011390",
        "010090",
        "400190",  # D-nummer day 0
        "710290",  # D-nummer 31 February
        "015390",  # H-nummer month 13
        "318290",  # synthetic 31 February
        "012590",  # month 25
    ],
)
@pytest.mark.parametrize("remainder", [0, 2])
def test_impossible_dates(prefix6, remainder):
    number = first_complete(prefix6, remainder=remainder)
    assert fnr_problem(number, allow_synthetic=True) == "date"
    assert birth_date(number) is None


def test_29_february_1900_or_2000():
    # Legacy individual 000-499 means 1900, and 1900-02-29 does not exist; but a number with
    # K1 remainder 0 may also be a 2032-rule number for someone born on 2000-02-29.
    number = first_complete("290200", range(0, 500))
    assert is_valid_fnr(number, allow_synthetic=False)
    assert birth_date(number) is None
    number = first_complete("290200", range(500, 1000))
    assert birth_date(number) == datetime.date(2000, 2, 29)
    number = first_complete("290296", range(0, 500))
    assert birth_date(number) == datetime.date(1996, 2, 29)


def test_d_and_h_numbers():
    d_number = first_complete("410185", range(0, 500))
    assert is_valid_fnr(d_number, allow_synthetic=False)
    assert birth_date(d_number) == datetime.date(1985, 1, 1)
    h_number = first_complete("054185", range(0, 500))
    assert is_valid_fnr(h_number, allow_synthetic=False)
    assert not is_synthetic_fnr(h_number)
    assert birth_date(h_number) == datetime.date(1985, 1, 5)


def test_undetermined_century_is_valid_without_birth_date():
    number = first_complete("010145", range(750, 900))  # no legacy century for 750-899, YY 45
    assert is_valid_fnr(number, allow_synthetic=False)
    assert birth_date(number) is None


@pytest.mark.parametrize("prefix6", ["819912", "998812", "999999", "800000"])
def test_fh_numbers_have_no_date_and_are_not_synthetic(prefix6):
    number = first_complete(prefix6)
    assert fnr_problem(number, allow_synthetic=False) is None
    assert not is_synthetic_fnr(number)
    assert birth_date(number) is None


# --- generator --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "individual"),
    [
        (datetime.date(1985, 1, 1), 600),  # 500-749 with YY 85 means the 1800s
        (datetime.date(1945, 1, 1), 800),  # no century at all
        (datetime.date(2005, 1, 1), 100),
        (datetime.date(1985, 1, 1), 1000),
        (datetime.date(1985, 1, 1), -1),
        (datetime.date(2040, 1, 1), 999),
    ],
)
def test_generator_refuses_individual_of_wrong_century(born, individual):
    with pytest.raises(ValueError):
        generate_synthetic_fnr(born, individual)


def test_generator_example():
    assert generate_synthetic_fnr(datetime.date(2003, 4, 5), 750, d_number=True) == "45840375084"


@SETTINGS
@given(legacy_births())
def test_generator_matches_oracle(drawn):
    birth, individual, d_number = drawn
    expected = complete(synthetic_base(birth, individual, d_number))
    assert generate_synthetic_fnr(birth, individual, d_number=d_number) == expected


@SETTINGS
@given(synthetic_numbers())
def test_generated_synthetic_numbers(drawn):
    number, birth = drawn
    assert is_synthetic_fnr(number)
    assert is_valid_fnr(number, allow_synthetic=True)
    assert not is_valid_fnr(number, allow_synthetic=False)
    assert fnr_problem(number, allow_synthetic=False) == "synthetic"
    assert k1_remainder(number) == 0 and k2_remainder(number) == 0
    assert birth_date(number) == birth


@SETTINGS
@given(numbers_2032())
def test_2032_numbers(number):
    assert k1_remainder(number) in (1, 2, 3)
    assert is_valid_fnr(number, allow_synthetic=True)
    synthetic = number[2] in "89"
    assert fnr_problem(number, allow_synthetic=False) == ("synthetic" if synthetic else None)
    assert birth_date(number) is None


@SETTINGS
@given(
    st.dates(datetime.date(1854, 1, 1), datetime.date(2039, 12, 31)),
    st.integers(0, 999),
    st.sampled_from([0, 40]),
    st.sampled_from([0, 40]),
)
def test_plain_legacy_numbers_agree_with_stdnum(birth, individual, day_offset, month_offset):
    day, month = birth.day + day_offset, birth.month + month_offset
    number = complete(f"{day:02d}{month:02d}{birth.year % 100:02d}{individual:03d}")
    assume(number is not None)
    try:
        expected = fodselsnummer.get_birth_date(number)
    except ValidationError:
        expected = None
    assert is_valid_fnr(number, allow_synthetic=False)
    assert birth_date(number) == expected


# --- single-digit changes ----------------------------------------------------------------


@SETTINGS
@given(
    st.one_of(synthetic_numbers().map(lambda drawn: drawn[0]), numbers_2032()),
    st.integers(0, 10),
    st.integers(1, 9),
)
def test_single_digit_change_is_always_caught(number, position, delta):
    """The 2032 rule loosens only K1. K2 covers all ten digits before it with weights
    5 4 3 2 7 6 5 4 3 2 (and K2 itself with weight 1), none divisible by 11, and a digit
    change is ±1..9, so the K2 sum moves by a non-multiple of 11: every single-digit change
    fails K2, under either rule, and is reported as "checksum"."""
    assert is_valid_fnr(number, allow_synthetic=True)
    digit = (int(number[position]) + delta) % 10
    changed = f"{number[:position]}{digit}{number[position + 1 :]}"
    assert changed != number
    assert k2_remainder(changed) != 0
    assert fnr_problem(changed, allow_synthetic=True) == "checksum"


@SETTINGS
@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_any_eleven_digits(number):
    problem = fnr_problem(number, allow_synthetic=True)
    assert problem in (None, "checksum", "date")
    assert is_valid_fnr(number, allow_synthetic=True) == (problem is None)
    if problem is None:
        assert k1_remainder(number) in (0, 1, 2, 3) and k2_remainder(number) == 0


@SETTINGS
@given(st.text())
def test_arbitrary_text_never_crashes(value):
    assert fnr_problem(value, allow_synthetic=False) in (
        None,
        "format",
        "checksum",
        "date",
        "synthetic",
    )
    assert isinstance(is_valid_orgnr(value), bool)
    assert isinstance(is_synthetic_fnr(value), bool)
    birth_date(value)


# --- organisasjonsnummer ------------------------------------------------------------------


@pytest.mark.parametrize("number", ["974760843", "921133642", " 974 760 843 "])
def test_orgnr_examples(number):
    assert is_valid_orgnr(number)


@pytest.mark.parametrize("valid", ["974760843", "921133642"])
def test_orgnr_wrong_check_digit(valid):
    for digit in "0123456789":
        if digit != valid[-1]:
            assert not is_valid_orgnr(valid[:-1] + digit)


@pytest.mark.parametrize(
    "value",
    ["", "97476084", "9747608430", "97476084A", "974.760.843", "974-760-843", "９７４７６０８４３"],
)
def test_orgnr_format(value):
    assert not is_valid_orgnr(value)


@SETTINGS
@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_orgnr_check_digit(prefix):
    check = 11 - weighted(ORG_WEIGHTS, prefix) % 11
    expected = [] if check == 10 else [check % 11]
    assert [d for d in range(10) if is_valid_orgnr(f"{prefix}{d}")] == expected
