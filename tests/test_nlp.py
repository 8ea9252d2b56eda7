"""Parsing in bounded batches: long texts in pieces cut at paragraph breaks, joined back into one Doc."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from detente import nlp


@given(st.text(alphabet=st.sampled_from("ab .\n"), max_size=3000), st.integers(min_value=40, max_value=400))
@settings(max_examples=200, deadline=None)
def test_pieces_join_to_the_text_and_keep_to_the_limit(text, limit):
    old = nlp.PIECE_CHARS
    nlp.PIECE_CHARS = limit
    try:
        pieces = nlp._pieces(text)
    finally:
        nlp.PIECE_CHARS = old
    assert "".join(pieces) == text
    # a piece may run past the limit only by the whitespace it keeps at its end
    assert all(len(p.rstrip()) <= limit for p in pieces)


def test_a_long_text_is_parsed_in_pieces_and_joined(pipeline, monkeypatch):
    monkeypatch.setattr(nlp, "PIECE_CHARS", 400)
    monkeypatch.setattr(nlp, "BATCH_CHARS", 900)
    paragraph = (
        "The foreign ministers of Egypt and Sudan met in Cairo on Monday. "
        "They agreed to resume talks over the dam, officials said.\n\n"
    )
    long = paragraph * 12
    short = "Kenyan police arrested five protesters in Nairobi."
    docs = list(nlp.parse([short, long, short], pipeline.settings.model, batch_size=4))
    assert [d.text for d in docs] == [short, long, short]
    joined = docs[1]
    assert len(nlp._pieces(long)) > 2
    assert len(list(joined.sents)) == 24  # two sentences a paragraph, none glued across a cut
    assert [e.text for e in joined.ents].count("Cairo") == 12
    assert joined.has_annotation("DEP") and all(t.lemma_ for t in joined)
    whole = next(nlp.parse([paragraph], pipeline.settings.model))
    first = joined[: len(whole)]
    assert [(t.dep_, t.head.i, t.pos_) for t in first] == [(t.dep_, t.head.i, t.pos_) for t in whole]


def test_a_dateline_is_its_own_sentence_not_the_doer(pipeline):
    """ "SINGAPORE — Chinese vessels fired ...": the city is where the story was filed; the vessels act."""
    from datetime import date

    text = (
        "SINGAPORE — Two Chinese coast guard vessels fired water cannon at a Philippine supply boat on Saturday.\n\n"
        "NEW DELHI, India — Indian troops fired at Pakistani posts overnight, officials said.\n\n"
        "US — China talks resumed in Geneva."
    )
    doc = next(nlp.parse([text], pipeline.settings.model))
    starts = [s.text.split()[0] for s in doc.sents]
    assert starts[:4] == ["SINGAPORE", "Two", "NEW", "Indian"] and "US" in starts and "China" not in starts
    result = pipeline.code_text(text, published=date(2024, 3, 18))
    assert {a.country for e in result.events if e.cameo.startswith("19") for a in e.source} == {"CHN", "IND"}
