"""The fast attribute ruler and lemmatizer give exactly the stock components' token attributes."""

from __future__ import annotations

import pytest

from .conftest import EXAMPLE, GOLD


@pytest.fixture(scope="module")
def texts():
    found = [EXAMPLE.read_text(encoding="utf-8")]
    found += [p.read_text(encoding="utf-8") for p in sorted((GOLD / "articles").glob("*.txt"))[:12]]
    found += [
        "Let's see: they're gonna sign it, ain't they? We gotta go.\n\nHe said  it was   fine.",
        "U.S. forces, Mr. Smith's aides and the PM's office met on 3 March 2024; talks went on.",
    ]
    return found


def test_token_attributes_match_the_stock_pipeline(pipeline, texts):
    from detente import nlp

    ours = nlp.load(pipeline.settings.model)
    assert "fast_attribute_ruler" in ours.pipe_names and "fast_lemmatizer" in ours.pipe_names
    stock = _stock(pipeline.settings.model)
    stock.add_pipe("detente_paragraph_breaks", before="parser")
    compared = 0
    for a, b in zip(stock.pipe(texts), ours.pipe(texts), strict=True):
        for s, f in zip(a, b, strict=True):
            assert (s.tag_, s.pos_, str(s.morph), s.lemma_, s.dep_, s.head.i, s.ent_type_) == (
                f.tag_,
                f.pos_,
                str(f.morph),
                f.lemma_,
                f.dep_,
                f.head.i,
                f.ent_type_,
            ), f"{s.text!r} at {s.i}"
            compared += 1
    assert compared > 5000


def _stock(name: str):
    """The same model as spaCy ships it, found the way detente finds it."""
    import spacy

    from detente.nlp import DEFAULT_MODELS

    for candidate in (name,) if name else DEFAULT_MODELS:
        try:
            return spacy.load(candidate)
        except OSError:
            continue
    pytest.skip("no spaCy model installed")


def test_stock_components_on_request(monkeypatch):
    import spacy

    from detente import annotators

    monkeypatch.setenv("DETENTE_STOCK_SPACY", "1")
    blank = spacy.blank("en")
    annotators.install(blank)
    assert blank.pipe_names == []
