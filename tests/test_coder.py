"""The rules coder on sentences we wrote: codes, directions, roles, word sense."""

import pytest

CASES = [
    # sentence, expected root, source country, target country
    (
        "Indian Foreign Minister S. Jaishankar met his Chinese counterpart Wang Yi in Moscow on Thursday.",
        "04",
        "IND",
        "CHN",
    ),
    ("Japanese Prime Minister Fumio Kishida visited Kyiv last month.", "04", "JPN", "UKR"),
    ("Qatar hosted a delegation of Afghan officials in Doha.", "04", "QAT", "AFG"),
    ("Israeli jets struck targets in Syria overnight, the army said.", "19", "ISR", "SYR"),
    ("Russian troops attacked the Ukrainian town of Bakhmut.", "19", "RUS", "UKR"),
    ("The European Union imposed sanctions on Iran over the drone deliveries.", "16", "IGO", "IRN"),
    ("Egypt condemned the Israeli raid on the Jenin camp.", "11", "EGY", "ISR"),
    ("China accused the United States of interfering in its internal affairs.", "11", "CHN", "USA"),
    ("Germany pledged 500 million euros in aid to Ukraine.", "03", "DEU", "UKR"),
    ("The World Bank provided a $400 million loan to Kenya.", "07", "IGO", "KEN"),
    ("Pakistani police arrested two Afghan nationals near the border.", "17", "PAK", "AFG"),
    ("France and Germany signed a defence agreement in Paris.", "05", "FRA", "DEU"),
    ("Iran rejected the proposal from the United States.", "12", "IRN", None),
    ("Turkey threatened Sweden with a veto over its NATO bid.", "13", "TUR", "SWE"),
    ("South Korea urged North Korea to return to talks.", "02", "KOR", "PRK"),
    ("Saudi Arabia exported crude oil to India via the Red Sea.", "06", "SAU", "IND"),
]


@pytest.mark.parametrize(("sentence", "root", "src", "tgt"), CASES)
def test_codes_direction_and_roles(code, sentence, root, src, tgt):
    events = code(sentence)
    hits = [e for e in events if e["cameo_root"] == root]
    assert hits, f"no {root} event in {[(e['cameo'], e['trigger']['text']) for e in events]}"
    ev = hits[0]
    assert src in {a["country"] for a in ev["source"]}
    if tgt is not None:
        assert tgt in {a["country"] for a in ev["target"]}


@pytest.mark.parametrize(
    "sentence",
    [
        "Manchester United attacked relentlessly in the second half and struck twice.",
        "Workers at the port went on strike over pay.",
        "The company will host the website on its own servers.",
        "Stocks plunged as markets reacted to the inflation figures.",
        "Comments are closed.",
    ],
)
def test_false_friends_give_no_political_event(code, sentence):
    assert code(sentence) == []


def test_intermediary_and_trigger_offsets(code):
    text = "Uzbek cotton was unloaded at the Chinese port of Lianyungang via Kazakhstan last week."
    (ev,) = [e for e in code(text) if e["cameo_root"] == "06"]
    assert [a["country"] for a in ev["intermediary"]] == ["KAZ"]
    t = ev["trigger"]
    assert text[t["start"] : t["end"]] == t["text"]


def test_warning_about_a_threat_shares_information(code):
    text = "The Egyptian intelligence chief warned Israel about an imminent attack from Gaza."
    roots = {e["cameo_root"] for e in code(text)}
    assert "06" in roots and "13" not in roots


def test_purpose_clause_replaces_generic_contact(code):
    text = "In 2015, the Omani foreign minister reached out to Iran to warn it about a plot."
    events = code(text)
    assert [e["cameo"] for e in events] == ["064"]


def test_passive_with_agent_and_military_killing_is_force(code):
    text = "Two Indian soldiers were killed by Chinese troops in the Galwan Valley."
    (ev,) = [e for e in code(text) if e["cameo_root"] == "19"]
    assert ev["source"][0]["country"] == "CHN" and ev["target"][0]["country"] == "IND"


def test_symmetric_meetings_are_marked(code):
    (ev,) = [e for e in code("Armenia met Turkey in Vienna.") if e["cameo_root"] == "04"]
    assert ev["symmetric"] is True


def test_descriptions_and_the_two_countries(code):
    text = (
        "General Pervez Musharraf ruled Pakistan. The military leader visited India in 2001. "
        "Pakistan and India fought in 1999. The two countries signed an agreement in 2004."
    )
    events = code(text, published="2005-01-01")
    visit = next(e for e in events if e["cameo_root"] == "04")
    assert visit["source"][0]["name"] == "Pervez Musharraf" and visit["source"][0]["text"] == "The military leader"
    deal = next(e for e in events if e["cameo"] == "057")
    assert {a["country"] for a in deal["source"] + deal["target"]} == {"PAK", "IND"}
