"""Builds the stages once and runs articles through them in spaCy batches."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from itertools import islice
from typing import TYPE_CHECKING

from . import certainty, nlp, when, where
from .actors import at_date, gazetteer
from .context import Context, Stage
from .events import coders
from .events.patterns import lexicon
from .model import AT_HOME, UNREALISED, Article, Event, EventDate, Result, Sentence, Skip, after_publication
from .settings import Settings

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

    from spacy.tokens import Doc


# Longer texts are refused before parsing: no news article is this long, and one that is would hold a worker for
# minutes (nlp.parse keeps the memory bounded by parsing long texts in pieces).
MAX_CHARS = 1_000_000


class Pipeline:
    """ingest -> nlp -> actors -> events -> when -> where -> certainty, one article at a time, batched for spaCy."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.coder = coders.get(self.settings.coder)
        self.gaz = gazetteer(self.settings.actors_file)
        self.lex = lexicon()

    def run(self, items: Iterable[Article | Skip]) -> Iterator[Result | Skip]:
        """Code every Article, passing Skips through in order; one bad article never stops the batch.

        With workers > 1 each worker process runs this same function on chunks (one spaCy load per worker), so
        actors, dates and places are parallel too, not only the parse.
        """
        size = max(1, self.settings.batch_size)
        if self.settings.workers > 1:  # smaller chunks, so that a short input still reaches every worker
            size = max(4, size // self.settings.workers)
        chunks = _chunks(iter(items), size)
        if self.settings.workers <= 1:
            for chunk in chunks:
                yield from self.run_chunk(chunk)
            return
        import multiprocessing as mp

        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        ctx = mp.get_context(method)
        # Chunks are drawn here, in the caller's thread, never in the pool's feeder thread: the items may come
        # from a generator that touches thread-bound state (ingest checks each text against its SQLite store).
        window = 2 * self.settings.workers
        with ctx.Pool(self.settings.workers, initializer=_worker_init, initargs=(self.settings,)) as pool:
            pending: deque[AsyncResult[list[Result | Skip]]] = deque()
            for chunk in chunks:
                pending.append(pool.apply_async(_worker_run, (chunk,)))
                if len(pending) >= window:
                    yield from pending.popleft().get()
            while pending:
                yield from pending.popleft().get()

    def run_chunk(self, chunk: list[Article | Skip]) -> list[Result | Skip]:
        """One chunk through every stage in this process: the unit of work for local workers and Dask alike."""
        coded: dict[int, Result | Skip] = {}
        articles = []
        for a in chunk:
            if isinstance(a, Article) and len(a.text) > MAX_CHARS:
                coded[id(a)] = Skip(
                    a.path or a.url or a.id,
                    f"{a.path or a.id}: {len(a.text):,} characters is over "
                    f"the {MAX_CHARS:,} one parse can take; split the text into articles",
                )
            elif isinstance(a, Article):
                articles.append(a)
        for article, doc in zip(articles, self._docs(articles), strict=True):
            if doc is None:
                coded[id(article)] = Skip(article.path or article.id, f"{article.id}: the parser failed on this text")
                continue
            try:
                coded[id(article)] = self.process(article, doc)
            except Exception as exc:  # a coder bug must cost one article, not the batch
                coded[id(article)] = Skip(
                    article.path or article.id,
                    f"{article.id}: internal error while coding ({type(exc).__name__}: {exc}); "
                    "please report it with this article",
                )
        return [coded[id(item)] if isinstance(item, Article) else item for item in chunk]

    def _docs(self, articles: list[Article]) -> list[Doc | None]:
        """Parsed docs in order; when a batch fails, each article is parsed alone so only the bad one is lost."""
        try:
            return list(nlp.parse((a.text for a in articles), self.settings.model, max(1, self.settings.batch_size)))
        except Exception:
            out: list[Doc | None] = []
            for a in articles:
                try:
                    out.append(next(nlp.parse([a.text], self.settings.model)))
                except Exception:
                    out.append(None)
            return out

    def process(self, article: Article, doc: Doc) -> Result:
        ctx = Context(article, doc, self.gaz, self.lex)
        events: list[Event] = []
        for stage in self.stages:
            events = stage(ctx, events)
        return Result(article, tuple(_sentences(doc)), tuple(events))

    @property
    def stages(self) -> tuple[Stage, ...]:
        """actors and events -> when -> roles at that date -> where -> certainty -> impossible dates dropped ->
        unrealised acts at home dropped -> the user's confidence floor."""
        return (
            self._code,
            when.date_events,
            self._roles_at_date,
            where.place_events,
            certainty.judge_events,
            _no_past_after_publication,
            _unrealised_at_home,
            self._confident,
        )

    def _code(self, ctx: Context, events: list[Event]) -> list[Event]:
        return [*events, *self.coder.code(ctx)]

    def _roles_at_date(self, ctx: Context, events: list[Event]) -> list[Event]:
        """Each side's role as it was on the event's date (a minister then, not now)."""
        return [
            replace(
                ev,
                source=tuple(at_date(ctx.gaz, a, ev.date.start) for a in ev.source),
                target=tuple(at_date(ctx.gaz, a, ev.date.start) for a in ev.target),
            )
            for ev in events
        ]

    def _confident(self, ctx: Context, events: list[Event]) -> list[Event]:
        floor = self.settings.min_confidence
        return [e for e in events if e.confidence >= floor] if floor > 0 else events

    def code_text(
        self,
        text: str,
        *,
        published: date | None = None,
        source: str | None = None,
        url: str | None = None,
        title: str | None = None,
        id: str | None = None,
    ) -> Result:
        article = Article.from_text(text, id=id, published=published, source=source, url=url, title=title)
        return self.code_article(article)

    def nlp_doc(self, text: str) -> Doc:
        """The parsed Doc for a text, with the pipeline's own model (for tools and tests that look inside)."""
        return next(nlp.parse([text], self.settings.model))

    def code_article(self, article: Article) -> Result:
        doc = next(nlp.parse([article.text], self.settings.model))
        return self.process(article, doc)


def _no_past_after_publication(ctx: Context, events: list[Event]) -> list[Event]:
    """A date after the article's publication is impossible for anything but what may yet happen: such an
    event is left undated rather than shown where no series, timeline or export should put it."""
    pub = ctx.article.published
    return [
        replace(e, date=EventDate.unknown()) if after_publication(e.date.start, pub, e.certainty) else e for e in events
    ]


def _unrealised_at_home(ctx: Context, events: list[Event]) -> list[Event]:
    """An act that did not or may not happen, aimed at no one but its doer's own country by default ("I never
    threaten anybody", "members do not all agree"), says nothing about any relation: on the dev articles such
    events were never a coder's."""
    return [e for e in events if not (_unrealised(e) and all(a.reason == AT_HOME for a in e.target if a.country))]


def _unrealised(ev: Event) -> bool:
    """A "would" on an intent or a threat is the act itself ("said it would impose a curfew" threatens)."""
    return ev.certainty in UNREALISED and not (ev.certainty == "hypothetical" and ev.cameo_root in ("03", "13"))


def _chunks(it: Iterator[Article | Skip], size: int) -> Iterator[list[Article | Skip]]:
    while chunk := list(islice(it, size)):
        yield chunk


_WORKER: Pipeline | None = None


def _worker_init(settings: Settings) -> None:
    global _WORKER
    from dataclasses import replace as _replace

    _WORKER = Pipeline(_replace(settings, workers=1))


def _worker_run(chunk: list[Article | Skip]) -> list[Result | Skip]:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.run_chunk(chunk)


def _sentences(doc: Doc) -> Iterator[Sentence]:
    for i, sent in enumerate(nlp.sentences(doc)):
        text = sent.text
        lead = len(text) - len(text.lstrip())
        stripped = text.strip()
        start = sent.start_char + lead
        yield Sentence(i, start, start + len(stripped), stripped)
