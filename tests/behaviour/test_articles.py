"""Whole real articles: the 40 annotated Wikinews articles scored with the shared rules, and the broad layer's
constructions on text of our own."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from detente.api import records
from detente.evaluate import score
from detente.events.ontology import is_code
from detente.events.patterns import triggers

# Issue 14's floors (measured 2026-12-06: 0.554 / 0.735, from 0.111 / 0.472 when the issue was filed).
FLOORS = {"recall": 0.55, "precision": 0.70}


@pytest.fixture(scope="module")
def article_scores(shared_dir, pipeline):
    folder = shared_dir / "gold" / "articles"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    totals = {"required": 0, "found": 0, "coded": 0, "neutral": 0, "false": 0, "after": 0}
    for gold_file in sorted(folder.glob("*.gold.toml")):
        gold = tomllib.loads(gold_file.read_text(encoding="utf-8"))
        text = gold_file.with_name(gold_file.name.removesuffix(".gold.toml") + ".txt").read_text(encoding="utf-8")
        recs = records(pipeline.code_text(text, published=date.fromisoformat(gold["published"])))
        result = score(gold, recs)
        required = [g for g in gold.get("event", []) if g.get("required", True)]
        totals["required"] += len(required)
        totals["found"] += sum(g["id"] in result.matched for g in required)
        totals["coded"] += len(recs)
        totals["neutral"] += len(result.neutral)
        totals["false"] += len(result.false_positives)
        totals["after"] += sum(  # told as done, yet dated after the article was published
            r["certainty"] in ("asserted", "reported") and (r["date"]["start"] or "") > gold["published"] for r in recs
        )
    n = totals["coded"] - totals["neutral"]
    return {
        "recall": totals["found"] / totals["required"],
        "precision": (n - totals["false"]) / n,
        "dated_after_publication": totals["after"],
    }


@pytest.mark.slow
@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_article_floors(article_scores, measure):
    assert article_scores[measure] >= FLOORS[measure], article_scores


@pytest.mark.slow
def test_no_fact_is_dated_after_its_article(article_scores):
    assert article_scores["dated_after_publication"] == 0, article_scores


def test_trigger_table_codes_exist():
    table = triggers()
    assert len(table) > 500
    assert all(is_code(code) for code, _ in table.values())
    assert table[("arrest", "VERB")] == ("173", True)  # ours wins over the generated table
    assert ("say", "VERB") not in table or table[("say", "VERB")][1] is False
    assert ("take", "VERB") not in table  # kept out as too general


def _sides(recs, trigger):
    ev = next(r for r in recs if r["trigger"]["text"] == trigger)
    return [a["country"] for a in ev["source"]], [a["country"] for a in ev["target"]], ev["cameo"]


def test_the_story_country_places_the_unplaced(code):
    recs = code(
        "Lebanese police said on Monday they had detained a local official in Beirut. "
        "The official had organised protests in Beirut, Lebanon's capital, last month. "
        "Prosecutors in Lebanon charged him with incitement. "
        "Five men were arrested on Tuesday."
    )
    assert _sides(recs, "detained")[:2] == (["LBN"], ["LBN"])
    src, _, cameo = _sides(recs, "arrested")
    assert src == ["LBN"] and cameo == "173"  # a passive arrest with no agent: the story's authorities


def test_one_sentence_is_no_story(code):
    recs = code("Police detained eight people for spreading rumours.")
    assert not recs  # no country anywhere: nothing is guessed


def test_an_act_without_receiver_is_aimed_at_home(code):
    recs = code("Kenya's president declared a state of emergency on Friday.")
    src, tgt, cameo = _sides(recs, "declared")
    assert cameo.startswith("17") and src == ["KEN"] and tgt == ["KEN"]


def test_violence_by_an_unnamed_doer_keeps_the_doer_empty(code):
    recs = code("A market in Kandahar, Afghanistan was bombed on Sunday.")
    ev = next(r for r in recs if r["trigger"]["text"] == "bombed")
    assert ev["source"] and ev["source"][0]["country"] is None and [a["country"] for a in ev["target"]] == ["AFG"]


def test_calling_someone_a_name_is_a_verdict(code):
    crit = _sides(code("Germany's chancellor called the Russian plan a disgrace."), "called")
    praise = _sides(code("Germany's chancellor called Macron a great friend."), "called")
    assert crit[2] == "111" and crit[1] == ["RUS"]
    assert praise[2] == "051"


def test_one_event_per_country_pair(code):
    recs = code("The Turkish-Libyan deal was condemned in a joint statement by Egypt, Greece and Cyprus.")
    condemned = [r for r in recs if r["trigger"]["text"] == "condemned"]
    pairs = sorted((r["source"][0]["country"], r["target"][0]["country"]) for r in condemned)
    assert pairs == [(s, t) for s in ("CYP", "EGY", "GRC") for t in ("LBY", "TUR")]  # three doers, two receivers
    assert all(len({a["country"] for a in r["source"] + r["target"]}) == 2 for r in condemned)
    assert len({r["id"] for r in condemned}) == 6
    deal = _sides(code("An assembly in Cairo denounced the agreement between Turkey and Libya."), "agreement")
    assert deal[:2] == (["TUR"], ["LBY"])  # a joint act: the first party towards the second, not each at home


def test_a_call_for_someone_to_act_is_aimed_at_them(code):
    src, tgt, cameo = _sides(
        code("US President Trump has called for NATO members to increase military spending."), "called"
    )
    assert cameo.startswith("02") and src == ["USA"] and tgt == ["IGO"]


def test_a_denial_is_aimed_at_whom_the_denied_act_concerned(code):
    src, tgt, cameo = _sides(
        code("The Azerbaijani government denied reports that it had pressed Ankara to slow talks."), "denied"
    )
    assert cameo == "016" and src == ["AZE"] and tgt == ["TUR"]


def test_generated_object_patterns_give_the_object_sense(code):
    # PETRARCH-2's "claim ... attack" (015), not its default for "claim" (110) that triggers.csv keeps out
    src, tgt, cameo = _sides(
        code("The Houthi movement in Yemen claimed the attack on Saudi oil facilities."), "claimed"
    )
    assert cameo == "015" and src == ["YEM"] and tgt == ["SAU"]


def test_a_thing_of_a_named_owner_acts_for_the_owner(code):
    src, tgt, cameo = _sides(code("The Biden campaign criticized Trump's refusal to debate."), "criticized")
    assert cameo.startswith("11") and src == ["USA"] and tgt == ["USA"]
    assert not code("She bought a Panama hat and India ink.")  # a place-name compound is no owner


def test_the_agreement_told_before_is_aimed_at_its_parties(code):
    recs = code(
        "Turkey and Libya signed a maritime border deal in Istanbul on Monday. "
        "Greece denounced the agreement on Tuesday. Egypt criticized a different proposal."
    )
    denounced = [r for r in recs if r["trigger"]["text"] == "denounced"]
    assert sorted(r["target"][0]["country"] for r in denounced) == ["LBY", "TUR"]
    assert all(r["source"][0]["country"] == "GRC" for r in denounced)
    criticized = [r for r in recs if r["trigger"]["text"] == "criticized"]
    assert all(r["target"][0]["country"] == "EGY" for r in criticized)  # no act of that kind told: at home


def test_parties_meeting_each_other_are_not_aimed_at_their_topic(code):
    recs = code("The foreign ministers of Egypt, Greece and France met in Cairo to discuss the Turkish-Libyan deal.")
    met = [r for r in recs if r["trigger"]["text"] == "met"]
    # one meeting per pair of the three, none with the states their topic names
    pairs = {(r["source"][0]["country"], r["target"][0]["country"]) for r in met}
    assert pairs == {("EGY", "GRC"), ("EGY", "FRA"), ("GRC", "FRA")}


def test_words_of_attack_and_calls_that_are_not_appeals(code):
    assert _sides(code("Trump attacked the impeachment inquiry as a witch hunt."), "attacked")[2] == "111"
    assert not [r for r in code("The AP called the election for Biden on Saturday.") if r["cameo"].startswith("02")]


def test_a_hyphened_pair_of_nationalities_is_both(code):
    recs = code("Greece condemned the Turkish-Libyan deal.")
    assert sorted(r["target"][0]["country"] for r in recs if r["trigger"]["text"] == "condemned") == ["LBY", "TUR"]


def test_an_arrest_of_someone_unplaced_is_at_home_and_an_epidemic_emergency_is_coded(code):
    src, tgt, cameo = _sides(
        code("Greek police said on Saturday they arrested a 66-year-old man in Athens."), "arrested"
    )
    assert cameo.startswith("17") and src == ["GRC"] and "GRC" in tgt
    src, tgt, cameo = _sides(
        code("Samoa's government declared a state of emergency over a measles outbreak."), "declared"
    )
    assert cameo == "1724" and src == ["WSM"]


def test_whose_force_decides_its_kind(code):
    assert _sides(code("A gunman shot shoppers at a Walmart store in El Paso, Texas."), "shot")[2].startswith("18")
    assert _sides(code("Israeli soldiers killed two Palestinians in Hebron."), "killed")[2] == "190"
    # sanctions on someone we cannot place are not aimed at the doer's own country, and an act aimed at no one we
    # can place is not coded at all
    recs = code("The United States levied sanctions against al-Muhandis.")
    assert not [r for r in recs if not any(a["country"] for a in r["target"])]
    assert all(a["country"] != "USA" for r in recs for a in r["target"])


def test_they_after_a_group_is_the_group(code):
    recs = code(
        "The foreign ministers of Egypt, Greece and France met in Cairo. They called on Turkey to halt drilling."
    )
    called = [r for r in recs if r["trigger"]["text"] == "called"]
    assert sorted(r["source"][0]["country"] for r in called) == ["EGY", "FRA", "GRC"]
    assert all(r["target"][0]["country"] == "TUR" for r in called)


def test_a_court_rules_and_nothing_else_does(code):
    text = (
        "The court in Edinburgh heard the case on Monday. The Court of Session in Scotland ruled on Wednesday that "
        "the prorogation was unlawful. Scottish ministers welcomed it. Hamas ruled Gaza for years."
    )
    recs = code(text)
    ruled = [r for r in recs if r["trigger"]["text"] == "ruled"]
    assert [r["cameo"] for r in ruled] == ["116"]  # the court's finding; a party that rules a territory is no court
    assert ruled[0]["source"][0]["country"] == "GBR"


def test_a_state_designates_a_group():
    from detente.api import code_text

    (rec,) = [
        r
        for r in code_text("The United States Department of State designated the IRGC as a terrorist organization.")
        if r["trigger"]["text"] == "designated"
    ]
    assert rec["cameo"] == "163"
    assert [a["country"] for a in rec["source"]] == ["USA"]  # a country named inside an organisation's name
    assert [a["country"] for a in rec["target"]] == ["IRN"]


def test_an_act_named_with_its_parties_is_aimed_at_them(code):
    text = (
        "Greek Prime Minister Kyriakos Mitsotakis visited Washington on Tuesday. He commented on the Turkish-Libyan "
        "maritime agreement. Greece denounced the agreement again on Wednesday."
    )
    denounced = [r for r in code(text) if r["trigger"]["text"] == "denounced"]
    assert sorted(r["target"][0]["country"] for r in denounced) == ["LBY", "TUR"]
