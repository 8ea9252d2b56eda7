"""One article on its way through the stages: everything a stage may read, made once per article.

Stages take (context, events) and return events; none reaches for a process-wide table of its own, so the
pipeline's tables, with a user's actors file, are the ones every stage sees."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from .model import Article, Event

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .actors.gazetteer import Gazetteer
    from .actors.resolve import ArticleActors
    from .events.patterns import Lexicon


@dataclass(frozen=True)
class Context:
    article: Article
    doc: Doc
    gaz: Gazetteer
    lex: Lexicon

    @property
    def published(self) -> date | None:
        return self.article.published

    @cached_property
    def actors(self) -> ArticleActors:
        """The article's named actors, resolved on first use (dating and places alone do not need them)."""
        from .actors.resolve import ArticleActors

        return ArticleActors(self.gaz, self.doc, self.published)

    @classmethod
    def of(
        cls, doc: Doc, published: date | None = None, gaz: Gazetteer | None = None, lex: Lexicon | None = None
    ) -> Context:
        """A context for a parsed text outside a pipeline (tools, tests, benchmarks): the built-in tables unless
        given."""
        from .actors.gazetteer import gazetteer
        from .events.patterns import lexicon

        article = Article.from_text(doc.text, published=published)
        return cls(article, doc, gaz or gazetteer(), lex or lexicon())


Stage = Callable[[Context, list[Event]], list[Event]]
