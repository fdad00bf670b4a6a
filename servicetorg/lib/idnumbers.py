"""Norwegian identity numbers: fødselsnummer, D-nummer and organisasjonsnummer.

Rules: the project's national rules notes (NORWAY.md), section "Identity numbers".
python-stdnum covers plain legacy numbers and orgnr; this module adds what it lacks: the
2032 check-digit rule (K1 remainder 0-3), synthetic test people (month + 80) and birth
dates after today (stdnum refuses people "not born yet", e.g. the published 02013299997).

Input is normalised by stripping surrounding whitespace and inner spaces only.
"""

import datetime

from stdnum.exceptions import ValidationError
from stdnum.no import fodselsnummer, orgnr

_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K1_REMAINDERS_2032 = frozenset({0, 1, 2, 3})  # the legacy rule allows only 0
# 2032-rule numbers do not encode the century; accept a date that exists in either.
_CENTURIES_2032 = (1900, 2000)
_SYNTHETIC_MONTH_OFFSET = 80


def _normalise(value: str) -> str:
    """Strip surrounding whitespace and inner spaces (nothing else)."""
    return value.strip().replace(" ", "")


def _is_digits(number: str, length: int) -> bool:
    """True for exactly `length` ASCII digits (str.isdigit alone accepts e.g. '²')."""
    return len(number) == length and number.isascii() and number.isdigit()


def _is_fh(number: str) -> bool:
    """FH-nummer: first digit 8 or 9, carries no birth date."""
    return number[0] in "89"


def _k1_remainder(number: str) -> int:
    """(Σ w1·d + K1) mod 11: 0 under the legacy rule, 0-3 under the 2032 rule."""
    weighted = sum(w * int(d) for w, d in zip(_K1_WEIGHTS, number, strict=False))
    return (weighted + int(number[9])) % 11


def _k2_ok(number: str) -> bool:
    """(Σ w2·d + K2) mod 11 == 0, identical under both rules."""
    return number[10] == fodselsnummer.calc_check_digit2(number[:10])


def _checksum_ok(number: str) -> bool:
    """Check digits valid under the legacy rule or the 2032 rule."""
    return _k1_remainder(number) in _K1_REMAINDERS_2032 and _k2_ok(number)


def _is_synthetic(number: str) -> bool:
    """Month + 80 (third digit 8 or 9); FH-numbers have no month, so never synthetic."""
    return not _is_fh(number) and number[2] in "89"


def _without_synthetic_offset(number: str) -> str:
    """The digits with month + 80 turned back into the plain month."""
    if not _is_synthetic(number):
        return number
    month = int(number[2:4]) - _SYNTHETIC_MONTH_OFFSET
    return f"{number[:2]}{month:02d}{number[4:]}"


def _date_parts(number: str) -> tuple[int, int, int]:
    """Day, month and two-digit year with D- (+40), H- (+40) and synthetic (+80) offsets removed."""
    plain = _without_synthetic_offset(number)
    day, month, year = int(plain[0:2]), int(plain[2:4]), int(plain[4:6])
    if plain[0] in "4567":
        day -= 40
    if month > 40:
        month -= 40
    return day, month, year


def _date_exists(year: int, month: int, day: int) -> bool:
    """True when year-month-day is a real calendar date."""
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _date_ok(number: str) -> bool:
    """True for FH-numbers and for a date that exists in the 1900s or 2000s.

    A number whose K1 remainder is 0 may be a legacy number or a 2032-rule number, so the
    legacy century can never be the only one allowed. Every date valid in a legacy century
    (1800s, 1900s, 2000s) also exists in the 1900s or 2000s, so this check is the union.
    """
    if _is_fh(number):
        return True
    day, month, year = _date_parts(number)
    return any(_date_exists(century + year, month, day) for century in _CENTURIES_2032)


def _legacy_birth_date(number: str) -> datetime.date | None:
    """Birth date from the first nine digits by the legacy century rules, or None."""
    if _is_fh(number):
        return None
    try:
        return fodselsnummer.get_birth_date(_without_synthetic_offset(number))
    except ValidationError:
        return None


def is_synthetic_fnr(value: str) -> bool:
    """True for a synthetic test person (Tenor/TestID): month + 80, third digit 8 or 9.

    FH-numbers (first digit 8 or 9) carry no date, so their third digit means nothing.
    """
    number = _normalise(value)
    return _is_digits(number, 11) and _is_synthetic(number)


def fnr_problem(value: str, *, allow_synthetic: bool) -> str | None:
    """None if valid, else "format", "checksum", "date" or "synthetic" (first problem found)."""
    number = _normalise(value)
    if not _is_digits(number, 11):
        return "format"
    if not _checksum_ok(number):
        return "checksum"
    if not _date_ok(number):
        return "date"
    if _is_synthetic(number) and not allow_synthetic:
        return "synthetic"
    return None


def is_valid_fnr(value: str, *, allow_synthetic: bool) -> bool:
    """True for a valid fødselsnummer/D-/H-/FH-nummer under the legacy or the 2032 rule."""
    return fnr_problem(value, allow_synthetic=allow_synthetic) is None


def birth_date(value: str) -> datetime.date | None:
    """Birth date of a valid legacy number (K1 remainder 0), by the legacy century rules.

    None for FH-numbers, 2032-rule numbers (remainder 1-3), an undetermined century, or an
    invalid number. A 2032-rule number whose remainder happens to be 0 cannot be told from a
    legacy one; the population register is the authority for its birth date.
    """
    number = _normalise(value)
    if fnr_problem(number, allow_synthetic=True) or _k1_remainder(number) != 0:
        return None
    return _legacy_birth_date(number)


def generate_synthetic_fnr(
    birth: datetime.date, individual: int, *, d_number: bool = False
) -> str | None:
    """Build a synthetic (month + 80) number under the legacy rule, or None if a check
    digit comes out as 10. Raises ValueError if `individual` cannot encode birth's century.
    """
    day = birth.day + (40 if d_number else 0)
    month = birth.month + _SYNTHETIC_MONTH_OFFSET
    base = f"{day:02d}{month:02d}{birth.year % 100:02d}{individual % 1000:03d}"
    if not 0 <= individual <= 999 or _legacy_birth_date(base) != birth:
        raise ValueError(f"individual number {individual} does not fit birth year {birth.year}")
    k1 = fodselsnummer.calc_check_digit1(base)
    k2 = fodselsnummer.calc_check_digit2(base + k1)
    if "10" in (k1, k2):
        return None
    return base + k1 + k2


def is_valid_orgnr(value: str) -> bool:
    """True for a valid organisasjonsnummer (9 digits, mod-11 check digit; 10 is invalid)."""
    number = _normalise(value)
    return _is_digits(number, 9) and orgnr.is_valid(number)
