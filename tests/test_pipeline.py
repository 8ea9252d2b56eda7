"""The stages run in one declared order over one context per article, with the pipeline's own tables."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest


@pytest.fixture(scope="module")
def mine(pipeline, tmp_path_factory):
    """A pipeline whose user actors file names an organisation like a Sierra Leonean town."""
    from detente.pipeline import Pipeline

    path = tmp_path_factory.mktemp("actors") / "actors.toml"
    path.write_text('[[actor]]\nname = "Kenema"\ncountry = "NGA"\nsectors = ["NGO"]\n', encoding="utf-8")
    return Pipeline(replace(pipeline.settings, actors_file=str(path)))


def _events(p, text):
    return [e for e in p.code_text(text, published=date(2024, 6, 15)).events if e.trigger.text == "shelled"]


def test_a_users_actors_file_reaches_every_stage(pipeline, mine):
    text = "Ghanaian troops shelled Kenema, Kenema said on Monday."
    ours, built_in = _events(mine, text), _events(pipeline, text)
    assert ours and built_in
    # actors and the coder: the target is the user's organisation, not the town
    assert {a.id for e in ours for a in e.target} == {"user:kenema"}
    assert "user:kenema" not in {a.id for e in built_in for a in e.target}
    # places: an organisation named like a town is an actor, not where it happened
    assert {e.place.name for e in built_in if e.place} == {"Kenema"}
    assert "Kenema" not in {e.place.name for e in ours if e.place}
    # certainty: the target speaking of what was done to it is its own account
    assert {e.certainty for e in ours} == {"claimed"} and {e.certainty for e in built_in} == {"reported"}


def test_every_stage_reads_the_pipelines_tables(mine, monkeypatch):
    seen = []

    def watching(stage):
        def run(ctx, events):
            seen.append(ctx.gaz)
            return stage(ctx, events)

        return run

    stages = mine.stages
    monkeypatch.setattr(type(mine), "stages", property(lambda self: tuple(watching(s) for s in stages)))
    mine.code_text("Ghanaian troops shelled Kenema on Monday.", published=date(2024, 6, 15))
    assert len(seen) == len(stages) and all(g is mine.gaz for g in seen)
    assert "kenema" in mine.gaz.names and mine.gaz.names["kenema"][0].id == "user:kenema"


def test_a_past_event_is_never_dated_after_its_publication():
    """What happened cannot have happened after it was reported: such a date is dropped (the event stays,
    undated); what may yet happen keeps its date."""
    from types import SimpleNamespace

    from detente.model import Actor, Article, Event, EventDate, Span
    from detente.pipeline import _no_past_after_publication

    article = Article.from_text("x", published=date(2024, 3, 14))
    later = EventDate(date(2024, 3, 20), date(2024, 3, 20), "day", "explicit", "March 20")
    earlier = EventDate(date(2024, 3, 12), date(2024, 3, 12), "day", "explicit", "March 12")
    side = (Actor("Iran", "IRN", ("GOV",), "Iran", 0, 4),)
    ev = Event("e1", article.id, 0, Span("x", 0, 1), Span("x", 0, 1), "1711", side, side, date=later)
    ctx = SimpleNamespace(article=article)
    past, plan, before = _no_past_after_publication(
        ctx, [ev, replace(ev, id="e2", certainty="hypothetical"), replace(ev, id="e3", date=earlier)]
    )
    assert past.date == EventDate.unknown() and plan.date == later and before.date == earlier
