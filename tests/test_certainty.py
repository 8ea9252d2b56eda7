"""Certainty on 280 sentences we wrote (30 per label in wire, analysis and opinion styles, then 70 modelled on
news reporting: denials, conflicting accounts, hedged, negated and planned events, misleading cues); macro-F1 floor."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from detente import certainty
from detente.model import CERTAINTIES

DATA = Path(__file__).parent / "data" / "certainty.tsv"
FLOOR_MACRO_F1 = 0.85


def rows():
    with DATA.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def judged(pipeline, row):
    """The label detente gives the event at the row's trigger: from the coded event when there is one."""
    result = pipeline.code_text(row["sentence"], published=date(2024, 6, 15))
    start = row["sentence"].find(row["trigger"])
    for ev in result.events:
        if ev.trigger.start <= start < ev.trigger.end or ev.trigger.text == row["trigger"]:
            return ev.certainty, True
    doc = pipeline.nlp_doc(row["sentence"])
    span = doc.char_span(start, start + len(row["trigger"]), alignment_mode="expand")
    label, _ = certainty.judge(span.root, None, pipeline.gaz)
    return label, False


@pytest.fixture(scope="module")
def predictions(pipeline):
    return [(r["label"], *judged(pipeline, r)) for r in rows()]


def test_set_is_balanced():
    counts = Counter(r["label"] for r in rows())
    assert set(counts) == set(CERTAINTIES) and min(counts.values()) >= 30


def test_macro_f1(predictions):
    lines, f1s = [], []
    for label in CERTAINTIES:
        tp = sum(g == label and p == label for g, p, _ in predictions)
        fp = sum(g != label and p == label for g, p, _ in predictions)
        fn = sum(g == label and p != label for g, p, _ in predictions)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        f1s.append(f1)
        lines.append(f"{label:<13} P={prec:.2f} R={rec:.2f} F1={f1:.2f}")
    macro = sum(f1s) / len(f1s)
    coded = sum(c for _, _, c in predictions)
    report = "\n".join(lines) + f"\nmacro-F1={macro:.3f}; events coded at the trigger: {coded}/{len(predictions)}"
    print(report)
    assert macro >= FLOOR_MACRO_F1, report


def test_a_modal_on_a_verb_that_makes_possible_reaches_its_complement(code):
    recs = code("The bill would allow people visiting Hong Kong to be removed to mainland China.")
    visiting = [r for r in recs if r["trigger"]["text"] == "visiting"]
    assert visiting and all(r["certainty"] == "hypothetical" for r in visiting)
    said = code("Officials said that Chinese diplomats visited Hong Kong on Monday.")
    assert [r["certainty"] for r in said if r["trigger"]["text"] == "visited"] != ["hypothetical"]


def test_a_users_actors_reach_certainty(tmp_path, pipeline):
    """Attribution to a party of the event is its own claim; a user's organisation counts as a party too."""
    from dataclasses import replace as _replace

    from detente.pipeline import Pipeline

    actors = tmp_path / "actors.toml"
    actors.write_text('[[actor]]\nname = "Blue Harbor Forum"\ncountry = "ISR"\nsectors = ["NGO"]\n')
    text = "Egyptian officials met Israeli diplomats in Cairo on Monday, according to the Blue Harbor Forum."
    mine = Pipeline(_replace(pipeline.settings, actors_file=str(actors)))
    ours = [e for e in mine.code_text(text).events if e.trigger.text == "met"]
    built_in = [e for e in pipeline.code_text(text).events if e.trigger.text == "met"]
    assert ours and built_in
    assert {e.certainty for e in ours} == {"claimed"} and {e.certainty for e in built_in} == {"reported"}


def test_refusals_and_futures_in_the_past(pipeline):
    def label(sentence, trigger):
        return judged(pipeline, {"sentence": sentence, "trigger": trigger})[0]

    assert label("Russia refused to withdraw its troops from Georgia.", "withdraw") == "negated"
    assert label("The two sides failed to reach a ceasefire in Cairo.", "reach") == "negated"
    assert label("Iran warned that it would attack American bases in Iraq.", "attack") == "asserted"  # the threat
    assert label("Iran attacked the base after the talks would not resume.", "attacked") == "asserted"


def test_accounts_that_disagree_make_a_dispute(pipeline):
    def label(sentence, trigger):
        return judged(pipeline, {"sentence": sentence, "trigger": trigger})[0]

    text = "Accounts differed on whether Qatari mediators had met Taliban envoys in Doha."
    assert label(text, "met") == "disputed"
    text = "Iraqi state television said troops had recaptured the town, but local officials said fighting continued."
    assert label(text, "recaptured") == "disputed"
    assert label("Iraqi state television said troops had recaptured the town.", "recaptured") == "reported"


def test_i_would_urge_is_an_appeal_made(pipeline):
    def label(sentence, trigger):
        return judged(pipeline, {"sentence": sentence, "trigger": trigger})[0]

    assert label('"I would urge anyone who saw the attack to call us," the Kenyan police chief said.', "urge") != (
        "hypothetical"
    )
    assert label("The minister said Kenya would urge Uganda to reopen the border.", "urge") == "hypothetical"


def test_an_unrealised_act_aimed_at_no_one_is_not_kept(code):
    # a refusal aimed at a named side is a relation; one aimed at no one says nothing of any
    assert not [e for e in code('The Chilean minister said, "We never threaten anybody."') if e["cameo"][:2] == "13"]
    named = code("Chile said it would never threaten Peru.")
    assert [e for e in named if e["cameo"][:2] == "13" and {"PER"} <= {t["country"] for t in e["target"]}]


def test_an_announced_act_coded_as_the_announcement_happened(code):
    # the gold guide: "CAMEO codes threats as 13x, so a threat IS an event that happened"; an intent likewise
    def coded(sentence, root):
        return [e for e in code(sentence) if e["cameo"][:2] == root]

    threat = coded("Chile said on Monday it will impose sanctions on Peru.", "13")
    assert threat and threat[0]["certainty"] == "asserted"
    maybe = coded("Chilean President Gabriel Boric said on Monday he may declare a state of emergency.", "13")
    assert maybe and maybe[0]["certainty"] == "asserted"
    # told by another party, it is that party's claim; an act that is only possible stays hypothetical
    assert coded("Peru said on Monday that Chile will impose sanctions on Peru.", "13")[0]["certainty"] == "claimed"
    assert {e["certainty"] for e in code("Chile may impose sanctions on Peru.")} <= {"hypothetical"}
