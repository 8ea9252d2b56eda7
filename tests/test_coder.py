"""The rules coder on sentences we wrote: codes, directions, roles, word sense."""

import pytest


def _first(code, sentence, cameo):
    """The first event whose code starts with `cameo` (a root or a full code), and all events of the sentence."""
    events = code(sentence)
    hits = [e for e in events if e["cameo"].startswith(cameo)]
    assert hits, f"no {cameo} event in {[(e['cameo'], e['trigger']['text']) for e in events]}"
    return hits[0], events


def _countries(event, side):
    return {a["country"] for a in event[side]}


def _has_sides(event, src, tgt):
    """The source and target countries are among the event's (None: not checked)."""
    if src is not None:
        assert src in _countries(event, "source")
    if tgt is not None:
        assert tgt in _countries(event, "target")


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
    ev, events = _first(code, sentence, root)
    ev = ev
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


# -- complements, modality, inner targets, stative passives (events/coders/rules.py, events/modality.py) -----


@pytest.mark.parametrize(
    ("sentence", "root", "src", "tgt", "absent"),
    [
        # the complement of an intent verb lends its receiver and is not coded on its own
        ("Venezuela threatened to cut diplomatic ties with Colombia.", "13", "VEN", "COL", "16"),
        ("The Ethiopian government agreed to lift the blockade on Eritrea.", "03", "ETH", "ERI", "08"),
        ("Chile refused to extradite the suspects to Peru.", "12", "CHL", None, "06"),
        # an action announced for the future is an intent, a threat or a refusal
        ("Norway will send humanitarian aid to Sudan next month.", "03", "NOR", "SDN", "07"),
        ("Algeria said it would impose a curfew in the capital.", "13", "DZA", None, "17"),
        ("Brazil said it would not provide aid to Haiti.", "12", "BRA", "HTI", "07"),
        # the receiver inside an object that names no actor
        ("Lithuania condemned Belarus's treatment of the protesters.", "11", "LTU", "BLR", None),
        ("Greece is opposed to Turkish mediation in the dispute.", "12", "GRC", "TUR", None),
    ],
)
def test_argument_structure_and_code_selection(code, sentence, root, src, tgt, absent):
    ev, events = _first(code, sentence, root)
    assert src in _countries(ev, "source")
    if tgt is not None:
        assert tgt in _countries(ev, "target")
    if absent is not None:
        assert absent not in {e["cameo_root"] for e in events}


def test_stative_passive_subject_is_the_doer(code):
    events = code("Sudanese militias were engaged in ethnic cleansing in Darfur.")
    (ev,) = [e for e in events if e["cameo_root"] == "20"]
    assert ev["source"][0]["country"] == "SDN"


def test_narrative_would_is_not_an_announcement(code):
    # "would" in a story of the past is a habit, not an intent: the support stays support
    events = code("In 2007 the French president would speak up for Morocco in Brussels.")
    assert all(e["cameo_root"] != "03" for e in events)


def test_multiword_verb_outranks_its_single_word_sense():
    from detente.events.patterns import Pattern

    narrow = Pattern(id="a", code="125", verbs=("refuse", "refuse meet"))
    assert narrow.specificity_for("refuse meet") > narrow.specificity_for("refuse")
    assert narrow.specificity_for("refuse") == narrow.specificity


def test_confidence_falls_for_modal_and_negated_actions(code):
    (done,) = [e for e in code("Japan sent medical supplies to Turkey.") if e["cameo_root"] == "07"]
    (maybe,) = [e for e in code("Japan might not send medical supplies to Turkey.") if e["cameo_root"] == "07"]
    assert maybe["confidence"] < done["confidence"]


@pytest.mark.parametrize(
    ("sentence", "cameo", "src", "tgt"),
    [
        # what one actor says another must do is a demand on the other
        ("Brazil said on Friday that Paraguay must reopen the border crossing.", "100", "BRA", "PRY"),
        ("Canada issued a warning to Iran that it must release the detained sailors.", "100", "CAN", "IRN"),
        # the receiver is the subject, the giver the "from" phrase
        ("Kenyan police received armoured vehicles and weapons from Britain.", "072", "GBR", "KEN"),
        ("Senegal obtained assurances from France over the troop drawdown.", "030", "FRA", "SEN"),
        # an announced action with a condition on the other side is a threat
        ("Ghana said it will withdraw its troops from Mali unless the junta holds elections.", "13", "GHA", "MLI"),
        # "wants X to do" is an appeal to X; the wanted action is not coded as done
        ("Sweden wants Finland to share the radar data.", "020", "SWE", "FIN"),
        # control through an adjective: Peru is the one willing to send
        ("Peru is willing to withdraw its soldiers from Bolivia.", "0356", "PER", "BOL"),
        # a partitive object: what the part is of decides the sense
        ("Japan suspended part of its economic aid to Myanmar.", "16", "JPN", "MMR"),
    ],
)
def test_constructions_that_carry_the_code(code, sentence, cameo, src, tgt):
    ev, events = _first(code, sentence, cameo)
    assert src in _countries(ev, "source")
    assert tgt in _countries(ev, "target")


def test_wanted_action_is_not_coded_as_done(code):
    events = code("Sweden wants Finland to attack the smugglers' base.")
    assert not [e for e in events if e["cameo_root"] == "19" and e["certainty"] == "asserted"]


def test_self_obligation_is_no_demand(code):
    assert not [e for e in code("Norway said it must protect its fisheries.") if e["cameo"] == "100"]


@pytest.mark.parametrize(
    ("sentence", "root", "src", "tgt"),
    [
        # a head noun the tables do not know takes the nationality or organisation in front of it
        ("Malian herders blocked the roads into Bamako.", "14", "MLI", None),
        ("Canada imposed sanctions on the Hezbollah political wing.", "16", "CAN", "LBN"),
        # the receiver named by the object's nationality, or by where the object leads
        ("Serbia rejected an Albanian ultimatum.", "12", "SRB", "ALB"),
        ("Rebels blew up power lines leading into Kinshasa.", "17", None, "COD"),
    ],
)
def test_receivers_and_doers_named_around_the_noun(code, sentence, root, src, tgt):
    _has_sides(_first(code, sentence, root)[0], src, tgt)


@pytest.mark.parametrize(
    ("sentence", "root", "src", "tgt", "absent"),
    [
        # a threat is aimed at whoever must meet its condition
        ("Turkey threatened to close its airspace unless Greece withdraws its troops.", "13", "TUR", "GRC", None),
        # the receiver of what the act is for
        ("Turkey reopened its airspace to allow the delivery of medicine to Iraq.", "08", "TUR", "IRQ", None),
        # the maker of a rejected request, not someone deep inside it
        ("Cuba rejected a Mexican request to extradite the bankers held by Spain.", "12", "CUB", "MEX", "ESP"),
        # whose or where the threatened action's object is; a clause beside the infinitive names no receiver
        (
            "Iran threatened to shell Iraqi villages today in retaliation for an air raid on the western city of Ahvaz "
            "where, it said, 30 Kuwaitis were killed.",
            "13",
            "IRN",
            "IRQ",
            "KWT",
        ),
        # the thing agreed to, named by its nationality
        ("Armenia agreed to Russian mediation in the dispute.", "03", "ARM", "RUS", None),
        # what is protested or defied, before the place
        (
            "Kenyan students staged a hunger strike in protest against abuses by Ugandan police.",
            "14",
            "KEN",
            "UGA",
            None,
        ),
        (
            "Tens of thousands of people blocked roads in Tbilisi in defiance of Russian authorities "
            "to demand elections.",
            "14",
            "GEO",
            "RUS",
            "GEO",
        ),
        # the subject of the demand's clause
        ("The African Union renewed its demand that Ethiopia withdraw its troops.", "10", "IGO", "ETH", None),
        # the receiver hanging off what a nominal event is of
        ("Canada hurried the pullout of some peacekeeping units from Haiti on Wednesday.", "08", "CAN", "HTI", None),
    ],
)
def test_receivers_named_beyond_the_trigger_phrase(code, sentence, root, src, tgt, absent):
    ev, events = _first(code, sentence, root)
    targets = _countries(ev, "target")
    if src is not None:
        assert src in _countries(ev, "source")
    assert tgt in targets
    if absent is not None:
        assert absent not in targets


@pytest.mark.parametrize(
    ("sentence", "cameo"),
    [
        ("The electoral court allowed the Kenyan opposition leader to run in the presidential election.", "0812"),
        ("Jordanian helicopters evacuated the wounded from the Syrian border town.", "073"),
        ("Brazil's supreme court opened a hearing into the conduct of Paraguayan border police.", "090"),
    ],
)
def test_news_phrasings_of_yielding_aid_and_inquiry(code, sentence, cameo):
    _first(code, sentence, cameo)


@pytest.mark.parametrize(
    ("sentence", "cameo", "src", "tgt"),
    [
        # the doer of a gerund under a preposition is the governing verb's doer
        ("Kurdish youths in Turkey resorted to throwing stones at the police.", "145", "TUR", None),
        # "will not accept refugees" refuses humanitarian protection
        ("Hungary said it will not accept any more refugees from Syria.", "12", "HUN", None),
        # what was done by X, investigated: X is who the inquiry is about
        ("Ukraine opened an investigation into crimes committed by Russian troops.", "090", "UKR", "RUS"),
    ],
)
def test_doers_under_prepositions_refusals_and_inquiries(code, sentence, cameo, src, tgt):
    _has_sides(_first(code, sentence, cameo)[0], src, tgt)


@pytest.mark.parametrize(
    ("sentence", "cameo", "src", "tgt"),
    [
        # the doer of an infinitive on a noun is the doer of the verb above it
        ("Thousands of Chileans gathered for a rally in Santiago to protest against Argentina.", "14", "CHL", None),
        # what was attempted names the receiver
        ("Rebels in Chad attempted to assassinate the Nigerien president.", "18", None, "NER"),
        # an act "against X" hung on the light verb of a nominal act
        ("Serbian forces were engaged in ethnic cleansing against Albanians.", "20", "SRB", "ALB"),
    ],
)
def test_doers_and_receivers_across_infinitives_and_light_verbs(code, sentence, cameo, src, tgt):
    _has_sides(_first(code, sentence, cameo)[0], src, tgt)


def test_voiced_anger_at_x_is_disapproval_of_x(code):
    ev, _ = _first(code, "Farmers in Kenya voiced their anger at Ugandan import quotas.", "110")
    assert "UGA" in _countries(ev, "target")


def _pairs(events, root):
    return {
        (s["country"], t["country"])
        for e in events
        if e["cameo"].startswith(root)
        for s in e["source"]
        for t in e["target"]
    }


def test_a_state_name_with_its_article_still_places_its_government(code):
    # the parser hangs "the" on "government", not on "the United States"
    events = code("In 2017, the United States government imposed sanctions on Venezuela.")
    assert ("USA", "VEN") in _pairs(events, "16")


def test_an_act_between_two_states_aims_at_both(code):
    events = code("On Monday, Egypt denounced the agreement between Turkey and Libya.")
    assert {("EGY", "TUR"), ("EGY", "LBY")} <= _pairs(events, "11")


def test_it_in_a_gloss_is_the_act_its_verb_names(code):
    text = "Cyprus commented on the Turkish-Libyan border agreement, calling it unlawful."
    assert {("CYP", "TUR"), ("CYP", "LBY")} <= _pairs(code(text), "11")


def test_the_conclusions_of_a_meeting_told_before_aim_at_its_parties(code):
    text = (
        "The foreign ministers of Chile, Peru and Bolivia gathered in Lima on Monday to discuss water rights. "
        "On Tuesday, the Argentine Foreign Ministry rejected the conclusions of the summit."
    )
    pairs = _pairs(code(text), "1")
    assert {("ARG", "CHL"), ("ARG", "PER"), ("ARG", "BOL")} <= pairs


def test_a_they_passes_on_the_group_an_earlier_they_stood_for(code):
    text = (
        "The foreign ministers of Chile, Peru and Bolivia gathered in Lima on Monday to discuss water rights. "
        "Ecuador's minister joined them as an observer. "
        "They said the dispute had gone on too long. "
        "They called on Argentina to open its archives."
    )
    assert {("CHL", "ARG"), ("PER", "ARG"), ("BOL", "ARG")} <= _pairs(code(text), "02")


def test_appealing_a_ruling_is_a_legal_action_by_a_titled_owners_team(code):
    text = (
        "A court in Nairobi ordered the release of the documents on Monday. "
        "Kenyan President William Ruto criticised the judges. "
        "The president's legal team appealed the decision to the Court of Appeal."
    )
    events = code(text, "2024-06-15")
    assert ("KEN", "KEN") in _pairs(events, "115")


def test_a_meeting_of_several_states_is_one_meeting_for_each_pair(code):
    # "of" lists the parties of a joint act as "between" does; the three are one group, not a doer and partners
    noun = code("The ministers spoke after the four-way meeting of Chile, Peru and Bolivia in Lima on Monday.")
    assert {("CHL", "PER"), ("CHL", "BOL"), ("PER", "BOL")} <= _pairs(noun, "04")
    verb = code("On Monday, the delegations of Chile, Peru and Bolivia met in Lima.")
    assert {("CHL", "PER"), ("CHL", "BOL"), ("PER", "BOL")} <= _pairs(verb, "04")
    # a doer meeting two partners is two meetings, not three
    partners = code("Chile met Peru and Bolivia in Lima on Monday.")
    assert ("PER", "BOL") not in _pairs(partners, "04")


def test_an_assembly_of_officials_is_who_it_gathers(code):
    events = code("On Monday, an assembly of Argentine and Chilean officials in Santiago condemned Peru.")
    assert {("ARG", "PER"), ("CHL", "PER")} <= _pairs(events, "11")


def test_violence_whose_doer_is_unnamed_is_kept_with_its_victim(code):
    text = "Two men were questioned over their role in the assassination of Chilean General Roberto Soto in March."
    hit, _ = _first(code, text, "18")
    assert _countries(hit, "target") == {"CHL"}
    assert [a["country"] for a in hit["source"]] == [None]


def test_a_state_under_sanctions_is_their_receiver(code):
    hit, _ = _first(code, "Since 2019 Bolivia has been under Argentine sanctions.", "16")
    assert (_countries(hit, "source"), _countries(hit, "target")) == ({"ARG"}, {"BOL"})
    # under no one's sanctions: no receiver to place, no event
    assert not [e for e in code("Under the sanctions, Chilean firms must report their trade.") if e["cameo"] == "163"]


def test_joining_the_talks_told_before_meets_their_parties(code):
    text = (
        "The foreign ministers of Chile and Peru gathered in Lima on Monday to discuss water rights. "
        "The Bolivian foreign minister joined the talks as an observer."
    )
    joined = [e for e in code(text) if e["trigger"]["text"] == "talks"]
    assert {(s["country"], t["country"]) for e in joined for s in e["source"] for t in e["target"]} == {
        ("BOL", "CHL"),
        ("BOL", "PER"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "In 2015, Jordan joined the Saudi-led coalition.",
        "In 2015, Jordan joined a coalition led by Saudi Arabia.",
        # the parser hangs "which" on "Red Sea"; the coalition is what can be joined
        "In 2015, Saudi Arabia formed a coalition to guard the Red Sea which was joined by Jordan and Egypt.",
    ],
)
def test_joining_a_coalition_is_cooperation_with_whoever_leads_it(code, text):
    pairs = _pairs(code(text), "06")
    assert ("JOR", "SAU") in pairs
    assert all(t == "SAU" for _, t in pairs)


def test_the_doer_of_a_making_verb_is_not_its_own_receiver(code):
    # "launched" and "organized" make their object, but the doer is not whose the act is aimed at
    hit, _ = _first(code, "Chilean-led forces launched artillery fire against Peruvian positions on Monday.", "19")
    assert _countries(hit, "target") == {"PER"}


def test_agreeing_on_terms_is_the_agreement_agreeing_to_is_an_intent(code):
    assert ("CHL", "PER") in _pairs(code("On Monday, Chile and Peru agreed on a maritime border."), "05")
    assert not _pairs(code("On Monday, Chile and Peru agreed to hold talks on the border."), "05")


def test_a_time_of_day_does_not_change_a_verbs_sense(code):
    # "kill time" is not a killing, but "before 19:00 local time" says only when
    text = "On Saturday in Lima, Peru, shortly before 19:00 local time, a bombing killed three Peruvian soldiers."
    hit, _ = _first(code, text, "18")
    assert _countries(hit, "target") == {"PER"}


def test_a_protest_whose_doers_are_unplaced_is_the_story_countrys_people(code):
    text = (
        "Lima, Peru -- The Peruvian Congress met on Monday to debate the water bill. "
        "Lawmakers said the vote would come next week. "
        "A student protest had taken place outside the Congress building on Sunday. "
        "Peru's president said he staged a hunger strike in protest at the bill in 2010."
    )
    events = code(text)
    protest = [e for e in events if e["trigger"]["text"] == "protest" and e["cameo"].startswith("14")]
    assert protest and _countries(protest[0], "source") == {"PER"}
    # "in protest at" is the purpose of another act, not a protest of its own
    assert not [e for e in events if e["trigger"]["text"] == "protest" and "hunger" in e["evidence"]["text"]]


def test_it_stands_for_the_thing_told_before_that_fits_the_verb(code):
    text = (
        "Lima, Peru -- Peru's government declared a state of emergency in the south on May 2. "
        "The state of emergency was due to end on June 1, but on May 30 it was extended by a month. "
        "Congress voted to lift it on July 4."
    )
    events = code(text)
    extended = [e for e in events if e["trigger"]["text"] == "extended"]
    assert extended and extended[0]["cameo"].startswith("17") and extended[0]["certainty"] == "asserted"
    assert [e for e in events if e["trigger"]["text"] == "lift" and e["cameo"].startswith("08")]
    # "it" that stands for nothing the verb can take codes nothing
    assert not [
        e for e in code("Peru's president said on Monday that it was extended by a month.") if e["cameo"][:2] == "17"
    ]


def test_whoever_leads_a_war_is_whom_refusing_to_help_it_concerns(code):
    text = "The Peruvian government has refused to commit to any assistance to the Chilean-led war against Bolivia."
    assert ("PER", "CHL") in _pairs(code(text), "12")


def test_a_led_modifier_does_not_change_the_verbs_sense(code):
    # "take the lead" is no capture, but "Chilean-led forces" lead no one into one
    hit, _ = _first(code, "Chilean-led forces have retaken a village in northern Peru.", "19")
    assert (_countries(hit, "source"), _countries(hit, "target")) == ({"CHL"}, {"PER"})


def test_a_thing_that_closed_is_no_act_of_closing(code):
    text = "Lima, Peru -- Peru's schools and courts have shut. Peru's government shut its border with Chile on Monday."
    events = code(text)
    assert not [e for e in events if e["cameo"].startswith("17") and "schools" in e["evidence"]["text"]]
    assert ("PER", "CHL") in _pairs(events, "17")


def test_an_expectation_and_an_election_are_no_verdict_and_no_force(code):
    text = (
        "Lima, Peru -- Peru's president called it unlikely that Chile would pay. "
        "He was defeated in Lima by a rival candidate."
    )
    assert not [e for e in code(text) if e["cameo"][:2] in ("11", "18", "19")]
    assert _pairs(code("On Monday, Peru's president called Chile's leader a liar."), "11") == {("PER", "CHL")}


def test_what_a_side_says_it_must_do_is_its_statement_not_a_demand(code):
    own = code("On Monday, Peru's president said Peru must leave the trade bloc by June.")
    assert [e for e in own if e["cameo"] == "010"] and not [e for e in own if e["cameo"][:2] == "10"]
    other = code("On Monday, Peru's president said Chile must leave the trade bloc by June.")
    assert ("PER", "CHL") in _pairs(other, "10")
    # a demand on one's own government is a demand all the same
    domestic = code("On Monday, Peruvian student groups said the Peruvian government must resign.")
    assert [e for e in domestic if e["cameo"][:2] == "10"]


def test_postponing_an_election_is_a_restriction_at_home(code):
    text = (
        "Lima, Peru -- Peru was due to hold its regional election on Sunday. "
        "Peru's president postponed it on Friday, citing the floods."
    )
    hit, _ = _first(code, text, "17")
    assert (_countries(hit, "source"), _countries(hit, "target")) == ({"PER"}, {"PER"})


def test_according_to_a_witness_is_no_accord(code):
    # "according" has the lemma "accord": a verb's generated object pattern must not read it as one
    text = "On Sunday in Lima, according to witnesses and Peruvian police, a Chilean man entered a Peruvian store."
    assert not [e for e in code(text) if e["cameo"][:2] == "05"]


def test_complying_with_a_request_accedes_to_whoever_made_it(code):
    hit, _ = _first(code, "On Monday, Chile complied with the Peruvian request.", "08")
    assert _pairs([hit], "08") == {("CHL", "PER")}
    # the speaker of a reported clause is its "she", though the tagger saw no name in "Queen Elizabeth II"
    told = code("Yesterday, the United Kingdom's Queen Elizabeth II announced she will comply with the Irish request.")
    assert ("GBR", "IRL") in {(s["country"], t["country"]) for e in told for s in e["source"] for t in e["target"]}


def test_the_means_of_an_act_is_the_same_act(code):
    events = code("On Thursday, Chilean forces killed a Peruvian general in an airstrike near Arica.")
    assert [e["trigger"]["text"] for e in events if e["cameo"][:2] in ("18", "19")] == ["killed"]
    assert _pairs(events, "1") == {("CHL", "PER")}


def test_a_place_that_fell_under_someones_control_was_taken_by_them(code):
    hit, _ = _first(code, "The Peruvian town of Tacna fell under Chilean control in 1880.", "19")
    assert (_countries(hit, "source"), _countries(hit, "target")) == ({"CHL"}, {"PER"})
