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
