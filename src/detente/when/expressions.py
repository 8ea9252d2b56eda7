"""Time expressions to dates: "late March", "Saturday, April 25", "weeks later", "the years 2005-2015", resolved
against the publication date and the date under discussion, by rules first and dateparser for the rest; never
against today."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..model import EventDate, Precision

if TYPE_CHECKING:
    pass

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_WEEKDAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_ANY_WEEKDAY = "(?:" + _WEEKDAY[1:]  # the same, not captured
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"  # noqa: E501
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "several": 3,
    "few": 3,
    "a few": 3,
    "some": 3,
    "couple": 2,
    "a couple of": 2,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
}
_UNITS = {"day": 1, "week": 7, "month": 30, "year": 365, "decade": 3650}
# Part-of-period qualifiers: which slice of a month (days), year (months) or decade (years) they keep.
_PARTS = {"early": 0, "beginning": 0, "start": 0, "mid": 1, "middle": 1, "late": 2, "end": 2}
_SLICES = {
    "month": ((1, 10), (11, 20), (21, 31)),
    "year": ((1, 4), (5, 8), (9, 12)),
    "decade": ((0, 3), (4, 6), (7, 9)),
}


def _month_span(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _slice(lo: date, hi: date, part: str | None, unit: str) -> tuple[date, date]:
    """ "late March" is 21-31 March, "early 2019" January-April, "the late 1990s" 1997-1999."""
    if not part or part not in _PARTS:
        return lo, hi
    a, b = _SLICES[unit][_PARTS[part]]
    if unit == "month":
        last = calendar.monthrange(lo.year, lo.month)[1]
        return lo.replace(day=a), lo.replace(day=min(b, last))
    if unit == "year":
        return date(lo.year, a, 1), _month_span(lo.year, b)[1]
    return date(lo.year + a, 1, 1), date(lo.year + b, 12, 31)


def add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


def normalise(text: str) -> str:
    t = text.lower().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    t = re.sub(r"[,\"“”()]", " ", t)
    t = re.sub(r"\s+", " ", t).strip()
    return re.sub(
        r"^(in|on|at|during|by|since|until|till|around|about|as of|of|for|from|just|only|nearly|almost)\s+", "", t
    )


def resolve(text: str, published: date | None = None, previous: EventDate | None = None) -> EventDate:
    """One time expression to a date range with its precision and the reason it was resolved so.

    Rules first (they know "late March", "earlier this month", "weeks later"); dateparser for the rest.
    """
    t = normalise(text)
    if t in ("the day", "the same day", "that day") and previous is not None and previous.precision == "day":
        return replace(previous, reason="relative-to-previous", text=text.strip())  # the day under discussion
    out = _explicit(t) or _relative_publication(t, published) or _relative_previous(t, previous)
    if out is None:
        out = _dateparser(t, published)
    if out is None:
        return EventDate.unknown()
    return replace(out, text=text.strip())


def _explicit(t: str) -> EventDate | None:
    m = re.fullmatch(r"(?:between|from|the years)?\s*(\d{4})\s*(?:and|to|-|until|through)\s*(\d{4})", t)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if 1000 <= a <= b <= 2999:
            return EventDate(date(a, 1, 1), date(b, 12, 31), "span", "explicit")
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        try:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
        return EventDate(d, d, "day", "explicit")
    m = re.fullmatch(
        rf"(?:{_ANY_WEEKDAY}\s+)?(?:(early|mid|late)[- ])?{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\s+(\d{{4}})", t
    ) or re.fullmatch(
        rf"(?:{_ANY_WEEKDAY}\s+)?(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\s+(\d{{4}})", t
    )
    if m:
        g = [x for x in m.groups()]
        if g[0] and g[0].isdigit():
            day, mon, year = int(g[0]), MONTHS[g[1].rstrip(".")], int(g[2])
        else:
            mon, day, year = MONTHS[g[1].rstrip(".")], int(g[2]), int(g[3])
        try:
            d = date(year, mon, day)
        except ValueError:
            return None
        return EventDate(d, d, "day", "explicit")
    m = re.fullmatch(
        rf"(?:the\s+)?(?:(early|mid|late|end of|beginning of|start of)[- ]?)?(?:of\s+)?{_MONTH}\s+(?:of\s+)?(\d{{4}})",
        t,
    )
    if m:
        part = (m.group(1) or "").split()[0] if m.group(1) else None
        lo, hi = _slice(*_month_span(int(m.group(3)), MONTHS[m.group(2).rstrip(".")]), part, "month")
        return EventDate(lo, hi, "month", "explicit")
    m = re.fullmatch(r"(?:the\s+)?(?:(early|mid|late|end of|beginning of|start of)[- ]?)?(?:of\s+)?(\d{4})", t)
    if m:
        year = int(m.group(2))
        if not 1000 <= year <= 2999:
            return None
        part = m.group(1).split()[0] if m.group(1) else None
        lo, hi = _slice(date(year, 1, 1), date(year, 12, 31), part, "year")
        return EventDate(lo, hi, "year", "explicit")
    m = re.fullmatch(r"(?:the\s+)?(?:(early|mid|late)[- ]?)?(?:(\d{3})0'?s|'?(\d)0'?s)", t)
    if m:
        if m.group(2):
            start = int(m.group(2)) * 10
        else:  # "the '70s", "80s": the last such decade of the twentieth or this century
            start = 1900 + int(m.group(3)) * 10 if int(m.group(3)) >= 3 else 2000 + int(m.group(3)) * 10
        lo, hi = _slice(date(start, 1, 1), date(start + 9, 12, 31), m.group(1), "decade")
        return EventDate(lo, hi, "span", "explicit")
    return None


def _month_named(t: str, pub: date) -> EventDate | None:
    """ "Saturday, April 25", "late May", "last September", "July 27-28" (those two days, never the year
    1928), "March 15 to 17", "the end of July", "early this June", "June of this year", "5 March", "the preceding
    Saturday, August 17", "the first week of April": a month without a year, its year from publication."""
    day_first = re.fullmatch(rf"((?:{_ANY_WEEKDAY}\s+)?)(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}", t)
    if day_first:  # "5 March", "Tuesday 5th of March": the same as "March 5"
        t = f"{day_first.group(1)}{day_first.group(3)} {day_first.group(2)}"
    month_only = re.fullmatch(
        r"(?:(?:(?:the\s+)?(?:preceding|following|previous)|next|last)\s+(?=" + _WEEKDAY + r"))?"
        r"(?:(?P<weekday>" + _WEEKDAY[1:] + r"\s+)?(?:the\s+)?"
        r"(?:(?P<part>early|mid|late|end of|beginning of|start of|middle of)[- ]"
        r"|(?P<week>first|second|third|fourth|last)\s+(?:week|weekend)\s+of\s+)?"
        r"(?:(?P<which>last|this past|this|next)\s+)?"
        + _MONTH.replace("(", "(?P<month>", 1)
        + r"(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:-|to|through)\s*(?P<last_day>\d{1,2}))?)?"
        r"(?:\s+of\s+(?P<of_year>this|last|next)\s+year)?(?:\s*-|\s+(?:after|before))?",
        t,
    )
    if month_only:
        g = month_only.groupdict()
        weekday, day, last_day, of_year = (g["weekday"] or "").strip() or None, g["day"], g["last_day"], g["of_year"]
        mon = MONTHS[g["month"].rstrip(".")]
        which = {"this past": "last"}.get(g["which"] or "", g["which"])
        if day and not 1 <= int(day) <= int(last_day or day) <= 31:
            return None
        if of_year:
            year = pub.year + {"this": 0, "last": -1, "next": 1}[of_year]
        elif which == "last":  # "last September": the most recent September before this month
            year = pub.year if mon < pub.month else pub.year - 1
        elif which == "next":
            year = pub.year if mon > pub.month else pub.year + 1
        elif which == "this":
            year = pub.year
        else:
            year = _nearest_year(pub, mon, int(day) if day else None, weekday)
        if day:
            try:
                d, e = date(year, mon, int(day)), date(year, mon, int(last_day or day))
            except ValueError:
                return None
            return EventDate(d, e, "day" if d == e else "span", "relative-to-publication")
        weeks = {"first": "early", "second": "mid", "third": "mid", "fourth": "late", "last": "late"}
        part = g["part"].split()[0] if g["part"] else weeks.get(g["week"] or "")
        lo, hi = _slice(*_month_span(year, mon), part, "month")
        return EventDate(lo, hi, "month", "relative-to-publication")
    return None


def _quarter(t: str, pub: date) -> EventDate | None:
    """ "the second quarter", "Q3 of last year"."""
    quarter = re.fullmatch(
        r"(?:the\s+)?(?:(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter|q([1-4]))"
        r"(?:\s+(?:of\s+)?(this year|last year|\d{4}))?",
        t,
    )
    if quarter:
        words = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
        q = words.get(quarter.group(1) or "", 0) or int(quarter.group(2) or 1)
        tail = quarter.group(3) or ""
        if tail.isdigit():
            year = int(tail)
        elif tail == "last year":
            year = pub.year - 1
        elif tail == "this year":
            year = pub.year
        else:  # the latest such quarter that has begun
            year = pub.year if (q - 1) * 3 + 1 <= pub.month else pub.year - 1
        lo, hi = date(year, (q - 1) * 3 + 1, 1), _month_span(year, q * 3)[1]
        return EventDate(lo, hi, "span", "explicit" if tail.isdigit() else "relative-to-publication")
    return None


def _part_of_period(t: str, pub: date) -> EventDate | None:
    """ "the end of this year", "the beginning of the month"."""
    m = re.fullmatch(r"(?:the\s+)?(end|beginning|start|middle)\s+of\s+(this|last|next|the)\s+(year|month)", t)
    if m:
        lo, hi = _period(pub, m.group(3), {"this": 0, "the": 0, "last": -1, "next": 1}[m.group(2)])
        part = {"end": "late", "beginning": "early", "start": "early", "middle": "mid"}[m.group(1)]
        lo, hi = _slice(lo, hi, part, m.group(3))
        return EventDate(lo, hi, "month" if m.group(3) == "month" else "span", "relative-to-publication")
    return None


def _weekend(t: str, pub: date) -> EventDate | None:
    """ "this weekend", "last weekend"."""
    if t in ("this weekend", "the weekend", "last weekend"):
        sat = pub + timedelta(days=(5 - pub.weekday()) % 7)
        if t == "last weekend" or sat > pub + timedelta(days=1):
            sat -= timedelta(days=7)
        return EventDate(sat, sat + timedelta(days=1), "span", "relative-to-publication")
    return None


def _year_before(t: str, pub: date) -> EventDate | None:
    """ "the previous year", "a year ago": the calendar year before publication."""
    if t in ("the previous year", "the year before", "a year earlier", "a year ago", "the same period last year"):
        return EventDate(date(pub.year - 1, 1, 1), date(pub.year - 1, 12, 31), "year", "relative-to-publication")
    return None


def _day_named(t: str, pub: date) -> EventDate | None:
    """ "today", "yesterday", "last night", "tomorrow"."""
    rel = {
        "today": (0, 0),
        "earlier today": (0, 0),
        "later today": (0, 0),
        "the day": (0, 0),
        "the same day": (0, 0),
        "this evening": (0, 0),
        "tomorrow": (-1, -1),
        "tonight": (0, 0),
        "this morning": (0, 0),
        "this afternoon": (0, 0),
        "yesterday": (1, 1),
        "last night": (1, 0),
        "the day before yesterday": (2, 2),
    }
    if t in rel:
        a, b = rel[t]
        return EventDate(pub - timedelta(days=a), pub - timedelta(days=b), "day", "relative-to-publication")
    return None


def _weekday(t: str, pub: date) -> EventDate | None:
    """ "Monday", "last Thursday", "next Friday morning"."""
    m = re.fullmatch(
        r"(last|this past|past|this|next|this coming|coming)?\s*"
        r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?: night| morning| afternoon| evening)?",
        t,
    )
    if m:
        if m.group(1) in ("next", "this coming", "coming"):
            ahead = (WEEKDAYS[m.group(2)] - pub.weekday()) % 7 or 7
            d = pub + timedelta(days=ahead)
        else:
            back = (pub.weekday() - WEEKDAYS[m.group(2)]) % 7
            if m.group(1) == "last" and back <= 1:
                back += 7  # "last Thursday" written on a Friday is last week's: the day before would be "yesterday"
            d = pub - timedelta(days=back or (7 if m.group(1) in ("past", "this past") else 0))
        return EventDate(d, d, "day", "relative-to-publication")
    return None


def _this_period(t: str, pub: date) -> EventDate | None:
    """ "this week", "earlier this month", "the past year", "over the course of the week"."""
    m = re.fullmatch(r"(earlier|later)?\s*(this|last|next|the past|the last|past)\s+(week|month|year|decade)", t)
    if m:
        qual, which, unit = m.group(1), m.group(2), m.group(3)
        lo, hi = _period(pub, unit, {"this": 0, "last": -1, "next": 1}.get(which, 0))
        if which in ("the past", "the last", "past"):
            lo, hi = pub - timedelta(days=_UNITS[unit]), pub
        elif which == "this" and qual == "earlier":
            hi = pub
        elif which == "this" and qual == "later":
            lo = pub
        return EventDate(
            lo,
            hi,
            "month" if unit == "month" else "year" if unit == "year" else "span",
            "relative-to-publication",
        )
    return None


def _past_count(t: str, pub: date) -> EventDate | None:
    """ "the past three days": the span up to the report."""
    m = re.fullmatch(
        r"(?:the\s+)?(?:past|last|previous)\s+(two|three|four|five|six|seven|eight|nine|ten|several|few|\d+)\s+"
        r"(day|week|month|year)s",
        t,
    )
    if m:  # "the past three days": the span up to the report
        return EventDate(
            pub - timedelta(days=_count(m.group(1)) * _UNITS[m.group(2)]), pub, "span", "relative-to-publication"
        )
    return None


def _ago(t: str, pub: date) -> EventDate | None:
    """ "two weeks ago", "a year ago" as a span around the day."""
    m = re.fullmatch(
        r"(?:(an?|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|a couple of|\d+)\s+)"
        r"(day|week|month|year|decade)s?\s+ago",
        t,
    )
    if m:
        n = _count(m.group(1))
        days = n * _UNITS[m.group(2)]
        d = pub - timedelta(days=days)
        slack = timedelta(days=max(1, _UNITS[m.group(2)] // 2))
        prec: Precision = "day" if m.group(2) == "day" else "span"
        return EventDate(
            d - (slack if prec != "day" else timedelta(0)),
            min(pub, d + slack) if prec != "day" else d,
            prec,
            "relative-to-publication",
        )
    return None


def _ahead(t: str, pub: date) -> EventDate | None:
    """ "the next month", "the years ahead"."""
    m = re.fullmatch(
        r"(?:the\s+)?(?:next|coming)\s+(week|month|year)|(?:the\s+)?(?:weeks|months|years) (?:ahead|to come)",
        t,
    )
    if m:
        unit = m.group(1) or t.split()[-2].rstrip("s")
        unit = unit if unit in _UNITS else "month"
        lo, hi = (pub, pub + timedelta(days=_UNITS[unit] * (1 if m.group(1) else 6)))
        return EventDate(lo, hi, "span", "relative-to-publication")
    return None


def _now(t: str, pub: date) -> EventDate | None:
    """ "now", "currently", "recently"."""
    if t in ("now", "currently", "at present", "at the moment", "recently", "lately"):
        lo = pub - timedelta(days=90) if t in ("recently", "lately") else pub
        return EventDate(lo, pub, "span", "relative-to-publication")
    return None


def _over(t: str) -> str:
    """ "over the course of the week", "throughout the month": the period itself ("the year" alone is too often an
    object to count)."""
    t = re.sub(r"^(?:over|throughout)\s+(?:the\s+course\s+of\s+)?", "", t)
    t = "this week" if t == "the week" else t  # "over the course of the week"; "the year" is too often an object
    return t


Rule = Callable[[str, date], EventDate | None]

# Time expressions read against the publication date, tried in this order; the first rule that reads the text wins.
# The period rules read it as _over leaves it ("over the course of the week" is the week).
_PUBLICATION_RULES: tuple[Rule, ...] = (
    _month_named,
    _quarter,
    _part_of_period,
    _weekend,
    _year_before,
    _day_named,
    _weekday,
)
_PERIOD_RULES: tuple[Rule, ...] = (_this_period, _past_count, _ago, _ahead, _now)


def _relative_publication(t: str, pub: date | None) -> EventDate | None:
    if pub is None:
        return None
    t = re.sub(r"^(?:and|but|then|so)\s+", "", t)
    found = next((d for rule in _PUBLICATION_RULES if (d := rule(t, pub)) is not None), None)
    if found is None:
        period = _over(t)
        found = next((d for rule in _PERIOD_RULES if (d := rule(period, pub)) is not None), None)
    return found


def _nearest_year(pub: date, mon: int, day: int | None, weekday: str | None) -> int:
    """The year of a date named without one ("June 3", "Saturday, April 25", "in May").

    News mostly tells what has happened: the last such date on or before publication, unless the next one is
    much closer (a third of the way back: "May 26" published on May 20 is six days ahead, published in December
    it is the May just gone). A weekday picks the year whose date falls on it, nearest first.
    """

    def when(y: int) -> date:
        try:
            return date(y, mon, day or 1)
        except ValueError:  # February 29 in a common year
            return date(y, mon, 28)

    years = range(pub.year - 6, pub.year + 2)
    if weekday and day:
        fits = [y for y in years if when(y).day == day and when(y).weekday() == WEEKDAYS[weekday]]
        if fits:
            return min(fits, key=lambda y: abs((when(y) - pub).days))
    past = max((y for y in years if when(y) <= pub + timedelta(days=3)), default=years[0])
    ahead = min(y for y in years if y > past)
    back_days = (pub - when(past)).days
    return ahead if (when(ahead) - pub).days * 3 < back_days else past


def _period(pub: date, unit: str, offset: int) -> tuple[date, date]:
    if unit == "year":
        return date(pub.year + offset, 1, 1), date(pub.year + offset, 12, 31)
    if unit == "month":
        y, m = divmod(pub.year * 12 + pub.month - 1 + offset, 12)
        return _month_span(y, m + 1)
    if unit == "decade":
        start = (pub.year // 10 + offset) * 10
        return date(start, 1, 1), date(start + 9, 12, 31)
    monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=offset)
    return monday, monday + timedelta(days=6)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS.get(word, 1)


def _relative_previous(t: str, prev: EventDate | None) -> EventDate | None:
    if prev is None or prev.start is None or prev.end is None:
        return None
    m = re.fullmatch(
        r"(?:(an?|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|a couple of|some|\d+)\s+)?"
        r"(day|week|month|year|decade)s?\s+(later|after|afterwards|earlier|before|on)",
        t,
    )
    if m:
        unit = m.group(2)
        n = _count(m.group(1)) if m.group(1) else None
        forward = m.group(3) in ("later", "after", "afterwards", "on")
        if n is None:  # "weeks later": between one and eight of them
            lo_days, hi_days = _UNITS[unit], _UNITS[unit] * 8 if unit != "year" else _UNITS[unit] * 6
        else:
            lo_days = hi_days = n * _UNITS[unit]
        sign = 1 if forward else -1
        if unit in ("year", "decade") and n is not None:
            years = n * (10 if unit == "decade" else 1) * sign
            lo, hi = add_years(prev.start, years), add_years(prev.end, years)
            return EventDate(lo, hi, prev.precision if prev.precision != "day" else "day", "relative-to-previous")
        if forward:
            lo, hi = prev.start + timedelta(days=lo_days), prev.end + timedelta(days=hi_days)
        else:
            lo, hi = prev.start - timedelta(days=hi_days), prev.end - timedelta(days=lo_days)
        prec: Precision = "day" if unit == "day" and n is not None and prev.precision == "day" else "span"
        return EventDate(lo, hi, prec, "relative-to-previous")
    if t in ("the next day", "the following day", "a day later", "the day after"):
        return EventDate(
            prev.start + timedelta(days=1),
            prev.end + timedelta(days=1),
            prev.precision,
            "relative-to-previous",
        )
    if t in ("the next year", "the following year", "a year later"):
        return EventDate(
            date(prev.start.year + 1, 1, 1), date(prev.end.year + 1, 12, 31), "year", "relative-to-previous"
        )
    if t in ("the years that followed", "the years after", "the following years", "subsequent years"):
        return EventDate(date(prev.end.year + 1, 1, 1), date(prev.end.year + 6, 12, 31), "span", "relative-to-previous")
    if t in ("later", "afterwards", "then", "subsequently", "soon after", "shortly after", "thereafter"):
        return EventDate(prev.start, prev.end + timedelta(days=365), "span", "relative-to-previous")
    return None


def _dateparser(t: str, pub: date | None) -> EventDate | None:
    """Last resort, for spelled-out dates only: on bare numbers and durations ("60 days", "12-year low")
    dateparser invents dates."""
    if not re.search(r"\b[12]\d{3}\b|\b" + _MONTH + r"\b", t) or re.search(
        r"\d+[- ](?:year|month|day|week|hour|minute|second)", t
    ):
        return None
    if pub is None and not re.search(r"\b[12]\d{3}\b", t):
        return None  # no year and nothing to anchor one: dateparser would take today's, or read "30" as 1930
    try:
        import dateparser
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    from datetime import datetime

    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": ["year"] if pub is None else [],
    }
    if pub is not None:
        settings["RELATIVE_BASE"] = datetime(pub.year, pub.month, pub.day)
    try:
        found = dateparser.parse(t, languages=["en"], settings=settings)
    except Exception:
        return None
    if found is None:
        return None
    d = found.date()
    if not re.search(rf"\b{d.year}\b", t) and (pub is None or abs((d - pub).days) > 183):
        return None  # a year it made up: "0930" read as 930, a weekday and date that never met near publication
    return EventDate(d, d, "day", "explicit" if re.search(r"\d{4}", t) else "relative-to-publication")
