from datetime import date, timedelta

import pytest

from detente.context import Context
from detente.model import EventDate
from detente.when import date_events, resolve

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


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("the past three days", "2023-05-17", "2023-05-20", "span"),
        ("the beginning of the year", "2023-01-01", "2023-04-30", "span"),
        ("over the course of the week", "2023-05-15", "2023-05-21", "span"),
    ],
)
def test_more_publication_relative_expressions(text, start, end, precision):
    d = resolve(text, PUB)
    assert (d.start.isoformat(), d.end.isoformat(), d.precision) == (start, end, precision)


def test_the_day_is_the_day_under_discussion_when_there_is_one():
    day = EventDate(date(2023, 5, 16), date(2023, 5, 16), "day", "relative-to-publication")
    assert resolve("the same day", PUB, day).start == date(2023, 5, 16)
    assert resolve("the same day", PUB).start == PUB


# -- attaching expressions to events, one document at a time ------------------------------------------------


def _dated(text: str, words: list[str], published: date | None = PUB) -> list[EventDate]:
    """Date actor-less events at the first occurrence of each word, the whole text through one date_events."""
    from detente import nlp
    from detente.model import Event
    from detente.model import Span as Evidence

    doc = next(iter(nlp.parse([text])))
    sents = list(doc.sents)
    events = []
    for i, word in enumerate(words):
        at = text.index(word)
        index = next(n for n, s in enumerate(sents) if s.start_char <= at < s.end_char)
        sent = sents[index]
        events.append(
            Event(
                id=f"e{i}",
                article_id="t",
                sentence_index=index,
                evidence=Evidence(sent.text, sent.start_char, sent.end_char),
                trigger=Evidence(word, at, at + len(word)),
                cameo="010",
                source=(),
                target=(),
            )
        )
    return [e.date for e in date_events(Context.of(doc, published), events)]


def test_past_tense_event_takes_the_narrative_day_of_the_discourse():
    met, agreed = _dated(
        "On Tuesday the two ministers met in Vienna. They agreed to reopen the border.", ["met", "agreed"]
    )
    assert met.start == date(2023, 5, 16) and met.reason == "relative-to-publication"
    assert agreed.start == date(2023, 5, 16) and agreed.reason == "relative-to-previous" and agreed.text is None


def test_past_tense_without_any_anchor_is_the_publication_day_and_says_so():
    (d,) = _dated("The two ministers agreed to reopen the border.", ["agreed"])
    assert (d.start, d.precision, d.reason) == (PUB, "day", "publication-fallback")


def test_no_publication_date_and_no_expression_is_unknown():
    (d,) = _dated("The two ministers agreed to reopen the border.", ["agreed"], published=None)
    assert d.start is None and d.reason == "unknown"


def test_a_far_background_date_does_not_become_the_narrative_day():
    text = "In 1998 the two countries fought a war.\n\nThe ministers agreed to talk."
    _, agreed = _dated(text, ["fought", "agreed"])
    assert agreed.start == PUB and agreed.reason == "publication-fallback"


def test_a_background_paragraph_continues_its_own_story():
    text = "In March 2011 the envoy met the rebels in Benghazi. He also visited the port."
    _, visited = _dated(text, ["met", "visited"])
    assert (visited.start, visited.end) == (date(2011, 3, 1), date(2011, 3, 31))
    assert visited.reason == "relative-to-previous"


def test_deferral_until_moves_the_event_to_the_date():
    (d,) = _dated("The handover of the prisoners was postponed until October 2024.", ["handover"])
    assert (d.start, d.end) == (date(2024, 10, 1), date(2024, 10, 31))


def test_a_record_since_is_not_the_event_date():
    (d,) = _dated("The currency fell to its lowest level since 1998.", ["fell"])
    assert d.start == PUB


def test_a_comparison_baseline_is_not_the_event_date():
    (d,) = _dated("Exports to the neighbour dropped 12% compared to March 2019.", ["dropped"])
    assert d.start == PUB


def test_an_event_in_an_after_clause_is_measured_back_from_the_main_clause():
    (d,) = _dated("The talks resumed two weeks after the envoy resigned.", ["resigned"])
    assert d.start == PUB - timedelta(days=14) and d.reason == "relative-to-previous"


def test_a_future_event_on_a_bare_weekday_is_the_coming_one():
    (d,) = _dated("The parliament will vote on the treaty on Tuesday.", ["vote"])
    assert d.start == date(2023, 5, 23)


def test_a_trailing_date_belongs_to_the_second_conjunct():
    (d,) = _dated("The army was meant to withdraw in May 2021, but will now leave the area next month.", ["leave"])
    assert (d.start, d.precision) == (date(2023, 6, 1), "month")


def test_a_bare_month_for_a_coming_event_is_the_next_one():
    (d,) = _dated("The first deliveries are not due until January.", ["deliveries"])
    assert d.start is not None and d.start > PUB and d.start.month == 1


def test_a_distance_between_events_is_measured_in_the_story():
    text = "In 2011 the envoy met the rebels.\n\n(The meeting came a year after the rebels were expelled.)"
    _, expelled = _dated(text, ["met", "expelled"])
    assert (expelled.start, expelled.end) == (date(2010, 1, 1), date(2010, 12, 31))


def test_a_day_that_is_an_object_is_not_the_events_date():
    (d,) = _dated("On Monday the index ended the day at 8,017 points.", ["ended"])
    assert d.text is not None and "monday" in d.text.lower()


def test_an_after_that_opens_its_own_phrase_is_not_part_of_the_day():
    text = "Shares fell sharply today. The index recovered late in the day after dropping 300 points."
    _, recovered = _dated(text, ["fell", "recovered"])
    assert recovered.start == PUB  # the day under discussion, not "the day after" it


def test_the_narrative_day_is_the_latest_day_a_sentence_reaches():
    text = (
        "The minister warned on Monday that reserves were low, and the central bank said on Wednesday "
        "that it would raise rates.\n\nThe bourse suspended trading."
    )
    _, suspended = _dated(text, ["warned", "suspended"])
    assert suspended.start == date(2023, 5, 17) and suspended.reason == "relative-to-previous"


def test_the_nearest_clause_with_a_date_dates_the_event():
    text = "The talks have stalled during the past month, after two banks quit the negotiations on Thursday."
    (quit_,) = _dated(text, ["quit"])
    assert quit_.start == date(2023, 5, 18)


def test_a_particle_belongs_to_its_verb():
    text = "Trade has slowed during the past month, after two lenders pulled out of negotiations over the weekend."
    (pulled,) = _dated(text, ["pulled"])
    assert pulled.text is not None and "weekend" in pulled.text


@pytest.mark.parametrize(
    "text",
    [
        "The company has a June 1 deadline to present its plan.",
        "The company has a deadline set at June 1 to present its plan.",
        "The minister described the events of last Tuesday as a turning point.",
    ],
)
def test_a_date_inside_an_object_names_the_thing_not_the_event(text):
    (d,) = _dated(text, [text.split()[2]])
    assert (d.start, d.reason) == (PUB, "publication-fallback")


def test_a_past_event_takes_no_carried_date_after_publication(code):
    recs = code(
        "Candidates are preparing for the 2020 election. Trump characterized the call as perfectly fine.",
        published="2019-09-25",
    )
    said = next(r for r in recs if r["trigger"]["text"] == "characterized")
    assert said["date"]["start"] is None or said["date"]["start"] <= "2019-09-25"


def test_a_dated_act_inside_a_phrase_dates_only_itself(code):
    recs = code(
        "The United States called its actions defensive, pointing to the December 31 attack on its embassy.",
        published="2020-01-05",
    )
    called = next(r for r in recs if r["trigger"]["text"] == "called")
    assert called["date"]["start"] != "2019-12-31"


def test_last_weekday_said_the_day_after_is_last_weeks():
    friday = date(2020, 1, 10)
    assert resolve("last Thursday", friday).start == date(2020, 1, 2)  # the day before would be "yesterday"
    assert resolve("last Tuesday", friday).start == date(2020, 1, 7)
    assert resolve("Thursday", friday).start == date(2020, 1, 9)


def test_a_second_verb_keeps_its_own_date():
    text = "Turkey is already under sanctions, and was condemned in a joint statement on October 8."
    (condemned,) = _dated(text, ["condemned"], published=date(2020, 1, 10))
    assert condemned.start == date(2019, 10, 8)


def test_a_later_state_in_a_with_clause_does_not_date_the_act():
    text = "On Saturday morning, a gunman shot shoppers, with the death toll rising to 22 people on Monday."
    (shot,) = _dated(text, ["shot"], published=date(2019, 8, 8))
    assert shot.start == date(2019, 8, 3)


def test_until_ends_a_state_it_does_not_date_a_past_act():
    text = "On Saturday police arrested a man, and released him on bail till October."
    (released,) = _dated(text, ["released"], published=date(2019, 9, 18))
    assert released.start == date(2019, 9, 14)


def test_the_first_since_a_year_is_a_record():
    (refuse,) = _dated("Trump was the first president to refuse to do so since 1976.", ["refuse"])
    assert refuse.start != date(1976, 1, 1)


def test_the_following_day_is_a_time_even_where_the_parser_makes_it_an_object():
    text = (
        "On Tuesday the ministers met in Vienna. "
        "In a short statement released the following day, the Czech Ministry of Foreign Affairs criticised the outcome."
    )
    _, criticised = _dated(text, ["met", "criticised"])
    assert criticised.start == date(2023, 5, 17)


def test_a_date_inside_a_noun_phrase_does_not_move_the_story():
    text = (
        "On Tuesday the ministers met in Vienna. They discussed the 1998 border agreement at length. "
        "They called for new talks."
    )
    _, _, called = _dated(text, ["met", "discussed", "called"])
    assert called.start == date(2023, 5, 16)


def test_a_day_named_in_passing_is_not_the_story_day():
    """ "pointing to the December 31 attack" dates the attack; the story stays on Thursday. A part of a day
    ("Saturday evening") is still the story's day."""
    text = (
        "On Thursday, American forces struck a convoy near the airport in Baghdad. "
        "Washington pointed to the December 31 attack on its embassy. "
        "American drones also killed two Iraqi militia commanders."
    )
    _, attack, killed = _dated(text, ["struck", "attack", "killed"], published=date(2020, 1, 5))
    assert attack.start == date(2019, 12, 31) and killed.start == date(2020, 1, 2)
    text = "Saturday evening, Turkish troops shelled a village in Syria. Syrian officials condemned Turkey."
    _, condemned = _dated(text, ["shelled", "condemned"], published=date(2020, 1, 7))
    assert condemned.start == date(2020, 1, 4)
