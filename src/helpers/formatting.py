"""How the book's prose writes numbers, dates and spans of time: one place for each convention."""

from __future__ import annotations

import datetime as dt

import pandas as pd

#: What a number reads when the rows it counts are not in the data at the chosen cut-off date.
ABSENT = "n/a at this cut-off"


class NotInView(LookupError):
    """The rows a value needs are not in the view at this cut-off (the facts print :data:`ABSENT`)."""


def whole(x: object) -> int:
    """``x`` as an int; a missing value (no rows to take it from) raises :class:`NotInView`."""
    if x is None or pd.isna(x):
        raise NotInView("no value in the view")
    return int(x)  # type: ignore[arg-type]


def long_date(date: str | dt.date | pd.Timestamp) -> str:
    """A date (or an ISO date string) as the book's prose writes it: '6 January 2022'."""
    date = pd.Timestamp(date)
    return f"{date.day} {date:%B %Y}"


def range_text(low: int, high: int) -> str:
    """A figure, or a range of two, as the prose writes it: '150' or '70–100'."""
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def date_text(date: dt.date | pd.Timestamp | None, precision: object = "day") -> str:
    """A date as the prose writes it, to its precision: '6 January 2022', 'May 2023', '2010'; "" if none."""
    if date is None or pd.isna(date):
        return ""
    precision = str(precision)
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return f"{date:%B %Y}"
    return long_date(date)


_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen twenty").split()


def number_word(n: int) -> str:
    """A whole number as the prose writes it: words up to twenty, digits beyond."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def interval_text(start: dt.date | pd.Timestamp, end: dt.date | pd.Timestamp) -> str:
    """The time between two dates in prose: "251 days (about eight months)".

    Months are average Gregorian months (30.44 days), rounded to the nearest whole one;
    under two months only the days are given.
    """
    days = (pd.Timestamp(end) - pd.Timestamp(start)).days
    if days < 0:
        raise ValueError(f"{end} is before {start}")
    months = round(days / (365.2425 / 12))
    if months < 2:
        return f"{days} days"
    return f"{days:,} days (about {number_word(months)} months)"


def decimal_text(x: float, places: int = 2) -> str:
    """``x`` to ``places`` decimals with halves rounded up (0.625 -> 0.63), as figures print it."""
    return f"{x + 10 ** -(places + 7):.{places}f}"


def count_range(low: int, high: int) -> str:
    """A count that sources give as a range, in prose: "between 443 and 470", or "103" when they agree."""
    if low > high:
        raise ValueError(f"{low} is more than {high}")
    return f"{low:,}" if low == high else f"between {low:,} and {high:,}"


def series_text(items: list[str]) -> str:
    """Items in prose: 'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items]
    if len(items) <= 2:
        return " and ".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def share_text(k: int, n: int) -> str:
    """A count out of a total in prose: 'three of six' (there is no share of nothing)."""
    if n == 0:
        raise NotInView("there is no share of nothing")
    if n < 0 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n > 0, got k={k}, n={n}")
    return f"{number_word(k)} of {number_word(n)}"


def percent_text(x: float) -> str:
    """A share as a whole percentage: 0.1667 -> '17 per cent'."""
    return f"{round(x * 100 + 1e-9):d} per cent"
