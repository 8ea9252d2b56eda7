from datetime import date

import pytest

from detente.model import EventDate
from detente.when import resolve

PUB = date(2023, 5, 20)  # a Saturday
PREV_MONTH = EventDate(date(2005, 9, 1), date(2005, 9, 30), "month", "explicit")
PREV_YEAR = EventDate(date(2009, 1, 1), date(2009, 12, 31), "year", "explicit")

CASES = [
    # text, previous, start, end, precision, reason
    ("In September 2005", None, "2005-09-01", "2005-09-30", "month", "explicit"),
    ("in 2019", None, "2019-01-01", "2019-12-31", "year", "explicit"),
    ("Between 2018 and 2020", None, "2018-01-01", "2020-12-31", "span", "explicit"),
    ("from 2001 to 2008", None, "2001-01-01", "2008-12-31", "span", "explicit"),
    ("March 28, 2021", None, "2021-03-28", "2021-03-28", "day", "explicit"),
    ("28 March 2021", None, "2021-03-28", "2021-03-28", "day", "explicit"),
    ("the early 2000s", None, "2000-01-01", "2003-12-31", "span", "explicit"),
    ("late 2019", None, "2019-09-01", "2019-12-31", "year", "explicit"),
    ("In late March", None, "2023-03-21", "2023-03-31", "month", "relative-to-publication"),
    ("in June", None, "2023-06-01", "2023-06-30", "month", "relative-to-publication"),  # the nearest June
    ("last September", None, "2022-09-01", "2022-09-30", "month", "relative-to-publication"),
    ("the third quarter", None, "2022-07-01", "2022-09-30", "span", "relative-to-publication"),
    ("the first quarter of 2008", None, "2008-01-01", "2008-03-31", "span", "explicit"),
    ("next Tuesday", None, "2023-05-23", "2023-05-23", "day", "relative-to-publication"),
    ("the '70s", None, "1970-01-01", "1979-12-31", "span", "explicit"),
    ("on March 28", None, "2023-03-28", "2023-03-28", "day", "relative-to-publication"),
    ("earlier this month", None, "2023-05-01", "2023-05-20", "month", "relative-to-publication"),
    ("last year", None, "2022-01-01", "2022-12-31", "year", "relative-to-publication"),
    ("this year", None, "2023-01-01", "2023-12-31", "year", "relative-to-publication"),
    ("last month", None, "2023-04-01", "2023-04-30", "month", "relative-to-publication"),
    ("next month", None, "2023-06-01", "2023-06-30", "month", "relative-to-publication"),
    ("yesterday", None, "2023-05-19", "2023-05-19", "day", "relative-to-publication"),
    ("on Sunday", None, "2023-05-14", "2023-05-14", "day", "relative-to-publication"),
    ("on Tuesday", None, "2023-05-16", "2023-05-16", "day", "relative-to-publication"),
    ("the past year", None, "2022-05-20", "2023-05-20", "year", "relative-to-publication"),
    ("Weeks later", PREV_MONTH, "2005-09-08", "2005-11-25", "span", "relative-to-previous"),
    ("a year later", PREV_YEAR, "2010-01-01", "2010-12-31", "year", "relative-to-previous"),
    ("a year before", PREV_YEAR, "2008-01-01", "2008-12-31", "year", "relative-to-previous"),
    ("A decade later", PREV_YEAR, "2019-01-01", "2019-12-31", "year", "relative-to-previous"),
    (
        "the next day",
        EventDate(date(2020, 2, 3), date(2020, 2, 3), "day", "explicit"),
        "2020-02-04",
        "2020-02-04",
        "day",
        "relative-to-previous",
    ),
]


@pytest.mark.parametrize(("text", "prev", "start", "end", "precision", "reason"), CASES)
def test_expressions(text, prev, start, end, precision, reason):
    d = resolve(text, PUB, prev)
    assert (d.start.isoformat() if d.start else None, d.end.isoformat() if d.end else None) == (start, end)
    assert d.precision == precision
    assert d.reason == reason
    assert d.text == text


def test_three_weeks_ago_is_a_span_before_publication():
    d = resolve("three weeks ago", PUB)
    assert d.start < date(2023, 4, 29) < d.end <= PUB
    assert d.reason == "relative-to-publication"


@pytest.mark.parametrize("text", ["earlier this month", "last year", "in late March", "weeks later"])
def test_no_anchor_means_unknown_never_invented(text):
    d = resolve(text, None, None)
    assert d.start is None and d.precision == "unknown" and d.reason == "unknown"


def test_nonsense_is_unknown():
    assert resolve("the blue of the sea", PUB).precision == "unknown"


@pytest.mark.parametrize("text", ["60 days", "a 12-year low", "20 year low"])
def test_durations_are_not_dates(text):
    assert resolve(text, PUB).precision == "unknown"
