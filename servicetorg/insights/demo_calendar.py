"""The Norwegian calendar of the demo's history: Easter, public holidays and working days."""

from datetime import date, timedelta


def easter(year: int) -> date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    L = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * L) // 451
    month, day = divmod(h + L - 7 * m + 114, 31)
    return date(year, month, day + 1)


def holidays(year: int) -> set[date]:
    """Norwegian public holidays, with Christmas Eve and New Year's Eve (offices closed)."""
    e = easter(year)
    moving = {e + timedelta(days=n) for n in (-3, -2, 0, 1, 39, 49, 50)}
    fixed = {date(year, 1, 1), date(year, 5, 1), date(year, 5, 17)}
    fixed |= {date(year, 12, d) for d in (24, 25, 26, 31)}
    return moving | fixed


class Calendar:
    def __init__(self) -> None:
        self._holidays: dict[int, set[date]] = {}

    def is_holiday(self, day: date) -> bool:
        if day.year not in self._holidays:
            self._holidays[day.year] = holidays(day.year)
        return day in self._holidays[day.year]

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)

    def working_day_on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day
