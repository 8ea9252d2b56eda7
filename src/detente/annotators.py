"""spaCy's attribute ruler and rule lemmatizer, giving the same token attributes in a fraction of the time.

On news text the two stock components took about 18% of the whole parse: the ruler runs its 179 Matcher
patterns over every token, and the lemmatizer, for each new word, searches its word index (a Python list of up
to 57,000 words) once per candidate form. What each sets on a token depends only on a few of that token's own
attributes (the ruler: tag, lower form, dependency and whether it is space, plus a handful of two-token
exceptions; the lemmatizer: form, part of speech and morphology), so each distinct combination is worked out
once, by the stock logic (the lemmatizer's with its index as a set), and remembered.

`install` swaps them in only for a model whose ruler patterns it fully understands and leaves the stock ones in
place otherwise; `DETENTE_STOCK_SPACY=1` keeps the stock ones. tests/test_annotators.py checks that tags, parts
of speech, morphology and lemmas are identical to the stock pipeline's.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# the token attributes a ruler pattern may test for the fast ruler to stand in for the stock one
_KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")
_OPS = frozenset({"IN", "NOT_IN", "REGEX"})


def install(nlp: Language) -> None:
    """Put the fast components in place of the stock ones, where the model allows it."""
    if os.environ.get("DETENTE_STOCK_SPACY", "").strip() not in ("", "0"):
        return
    names = nlp.pipe_names
    if "attribute_ruler" in names and Attributes.understands(nlp.get_pipe("attribute_ruler")):
        nlp.add_pipe("detente_attributes", name="fast_attribute_ruler", after="attribute_ruler")
        nlp.disable_pipe("attribute_ruler")
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in names else None
    if lemmatizer is not None and getattr(lemmatizer, "mode", "") == "rule" and _stock_rules(lemmatizer):
        nlp.add_pipe("detente_lemmas", name="fast_lemmatizer", after="lemmatizer")
        nlp.disable_pipe("lemmatizer")


def _stock_rules(lemmatizer: Any) -> bool:
    """Whether the lemmatizer lemmatizes by spaCy's own rule method, which Lemmas repeats (a subclass may not)."""
    from spacy.pipeline.lemmatizer import Lemmatizer

    return type(lemmatizer).rule_lemmatize is Lemmatizer.rule_lemmatize


def _fits(spec: dict[str, Any], values: dict[str, Any]) -> bool:
    """A one-token Matcher pattern against a token's attributes, as the Matcher reads it."""
    for key, want in spec.items():
        have = values[key]
        if not isinstance(want, dict):
            if have != want:
                return False
            continue
        for op, arg in want.items():
            if op == "IN" and have not in arg:
                return False
            if op == "NOT_IN" and have in arg:
                return False
            if op == "REGEX" and not re.search(arg, have):
                return False
    return True


def _keys(spec: dict[str, Any]) -> list[tuple[str, str | None]]:
    """Where a one-token pattern is filed: under each tag it can match when it tests the tag with = or IN, else
    under each lower form it can match, else under (None, None), tried for every token."""
    for attr in ("TAG", "LOWER"):
        want = spec.get(attr)
        if isinstance(want, str):
            return [(attr, want)]
        if isinstance(want, dict) and set(want) == {"IN"}:
            return [(attr, value) for value in want["IN"]]
    return [("", None)]


class Attributes:
    """The attribute ruler: one-token patterns remembered per (tag, lower, dep, is_space); the few longer ones
    through a Matcher of their own."""

    def __init__(self, ruler: Any) -> None:
        from spacy.matcher import Matcher

        self.ruler = ruler
        self.vocab = ruler.vocab
        # one-token patterns filed by the tag (most rules map one tag) or the lower form (the exceptions) they need
        self.filed: dict[tuple[str, str | None], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        self.multi = Matcher(self.vocab)
        self.has_multi = False
        for attr_id, entry in enumerate(ruler.patterns):
            for spec in (p[0] for p in entry["patterns"] if len(p) == 1):
                for key in _keys(spec):
                    self.filed[key].append((attr_id, spec))
            longer = [p for p in entry["patterns"] if len(p) > 1]
            if longer:
                self.multi.add(str(attr_id), longer)
                self.has_multi = True
        self.memo: dict[tuple[int, ...], tuple[tuple[int, ...], dict[int, Any]]] = {}

    @staticmethod
    def understands(ruler: Any) -> bool:
        for entry in ruler.patterns:
            for pattern in entry["patterns"]:
                for spec in pattern:
                    for key, want in spec.items():
                        if key not in _KEYS or (isinstance(want, dict) and not set(want) <= _OPS):
                            return False
        return True

    def _work_out(self, key: tuple[int, ...]) -> tuple[tuple[int, ...], dict[int, Any]]:
        strings = self.vocab.strings
        tag, lower, dep, is_space = key
        values = {"TAG": strings[tag], "LOWER": strings[lower], "DEP": strings[dep], "IS_SPACE": bool(is_space)}
        filed = self.filed
        candidates = (
            *filed.get(("TAG", values["TAG"]), ()),
            *filed.get(("LOWER", values["LOWER"]), ()),
            *filed.get(("", None), ()),
        )
        ids = tuple(sorted({attr_id for attr_id, spec in candidates if _fits(spec, values)}))
        return ids, self._merged(ids)

    def _merged(self, ids: tuple[int, ...] | list[int]) -> dict[int, Any]:
        merged: dict[int, Any] = {}
        for attr_id in ids:  # in rule order: a later rule's value wins, as in the stock ruler
            merged.update(self.ruler.attrs[attr_id])
        return merged

    def __call__(self, doc: Doc) -> Doc:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
        from spacy.tokens._retokenize import set_token_attrs

        extra: dict[int, list[int]] = defaultdict(list)
        if self.has_multi:
            strings = self.vocab.strings
            for match_id, start, end in self.multi(doc):
                attr_id = int(strings[match_id])
                extra[doc[start:end][self.ruler.indices[attr_id]].i].append(attr_id)
        memo = self.memo
        for i, row in enumerate(doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()):
            key = tuple(row)
            found = memo.get(key)
            if found is None:
                found = memo[key] = self._work_out(key)
            ids, merged = found
            if i in extra:
                merged = self._merged(sorted([*ids, *extra[i]]))
            if merged:
                set_token_attrs(doc[i], merged)
        return doc


_PosTables = tuple[frozenset[str], dict[str, list[str]], list[list[str]]]


class Lemmas:
    """The rule lemmatizer: one lemma per (form, part of speech, morphology), the stock lemmatizer's own cache key."""

    def __init__(self, lemmatizer: Any) -> None:
        self.lemmatizer = lemmatizer
        self.memo: dict[tuple[int, int, int], int] = {}
        # per part of speech: (the word index as a set, exceptions, suffix rules), None where the tables have none
        self.tables: dict[str, _PosTables | None] = {}

    def _tables(self, univ_pos: str) -> _PosTables | None:
        if univ_pos not in self.tables:
            lookups = self.lemmatizer.lookups
            index, exc, rules = (
                lookups.get_table(name, {}).get(univ_pos) for name in ("lemma_index", "lemma_exc", "lemma_rules")
            )
            self.tables[univ_pos] = (
                None if not any((index, exc, rules)) else (frozenset(index or ()), exc or {}, rules or [])
            )
        return self.tables[univ_pos]

    def _lemma(self, token: Any) -> str:
        """spaCy's Lemmatizer.rule_lemmatize, step for step, first form only; the one change is that a candidate
        form is looked up in a set, where the stock one searches the word index, a list of up to 57,000 words."""
        stock = self.lemmatizer
        string = token.text
        univ_pos = token.pos_.lower()
        if univ_pos in ("", "eol", "space"):
            return str(stock.lemmatize(token)[0])  # the stock warning for a missing tag
        if stock.is_base_form(token):
            return str(string.lower())
        tables = self._tables(univ_pos)
        if tables is None:
            return str(string if univ_pos == "propn" else string.lower())
        index, exceptions, rules = tables
        orig, string = string, string.lower()
        forms: list[str] = []
        oov_forms: list[str] = []
        for old, new in rules:
            if string.endswith(old):
                form = string[: len(string) - len(old)] + new
                if not form:
                    pass
                elif form in index or not form.isalpha():
                    if form in index:
                        forms.insert(0, form)
                    else:
                        forms.append(form)
                else:
                    oov_forms.append(form)
        forms = list(dict.fromkeys(forms))
        for form in exceptions.get(string, []):
            if form not in forms:
                forms.insert(0, form)
        if not forms:
            forms.extend(oov_forms)
        if not forms:
            forms.append(orig)
        return str(forms[0])

    def __call__(self, doc: Doc) -> Doc:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        stock = self.lemmatizer
        if not stock._validated:  # first doc: let the stock one check its tables (and say what is missing)
            return stock(doc)  # type: ignore[no-any-return]
        strings = doc.vocab.strings
        memo = self.memo
        for i, (lemma, orth, pos, morph) in enumerate(doc.to_array([LEMMA, ORTH, POS, MORPH]).tolist()):
            if lemma and not stock.overwrite:
                continue
            key = (orth, pos, morph)
            new = memo.get(key)
            if new is None:
                new = memo[key] = strings.add(self._lemma(doc[i]))
            doc[i].lemma = new
        return doc


def _register() -> None:
    from spacy.language import Language

    @Language.factory("detente_attributes")
    def make_attributes(nlp: Language, name: str) -> Attributes:
        return Attributes(nlp.get_pipe("attribute_ruler"))

    @Language.factory("detente_lemmas")
    def make_lemmas(nlp: Language, name: str) -> Lemmas:
        return Lemmas(nlp.get_pipe("lemmatizer"))


_register()
