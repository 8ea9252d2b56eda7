"""Long-running commands: `serve` (the REST API and dashboard) and `watch` (feed polling)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import DetenteError
from .common import (
    CODING_SETTINGS,
    err,
    port,
    settings_from,
    settings_options,
)


def serve_options(sub: Any) -> None:
    p = sub.add_parser(
        "serve",
        help="run the REST API and the web dashboard over the store",
        description=(
            "Serve the REST API (/api/..., docs at /docs) and the dashboard (/) over the store with uvicorn. Write "
            "requests need the X-API-Key header when the api_key setting (DETENTE_API_KEY) is set. With --watch, "
            "feeds are polled in the background as `detente watch` does."
        ),
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=port, default=8000, help="port (default: 8000)")
    p.add_argument("--create", action="store_true", help="start with a new empty store when --db does not exist")
    p.add_argument("--processes", type=int, default=1, metavar="N", help="server processes (default: 1)")
    p.add_argument(
        "--watch", action="append", default=[], metavar="FEED", help="RSS/Atom feed URL or file to poll (repeat)"
    )
    p.add_argument("--every", metavar="INTERVAL", help="with --watch: how often (default: 15m)")
    serve_settings = [n for n in CODING_SETTINGS if n not in ("workers", "batch_size")]
    settings_options(p, ("db", *serve_settings, "api_key", "max_body_bytes"))


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ..service import create_app
    from ..service.watch import Watcher, parse_every

    settings = settings_from(args)
    if args.every and not args.watch:
        raise DetenteError("--every sets how often --watch polls; give --watch FEED too, or drop --every")
    if not args.create and not Path(settings.db).is_file():
        raise DetenteError(
            f"no store at {settings.db}; create one with: detente ingest INPUT... --db {settings.db}, "
            "or pass --create to serve a new empty store"
        )
    every = parse_every(args.every or "15m")
    watcher = Watcher(args.watch, settings, every=every, log=err) if args.watch else None
    if args.processes > 1:
        if watcher is not None:
            err("--watch needs --processes 1 (one poller); run `detente watch` beside the server instead")
            return 2
        import os

        os.environ.update({f"DETENTE_{k.upper()}": str(v) for k, v in vars(settings).items() if k != "api_key"})
        if settings.api_key:
            os.environ["DETENTE_API_KEY"] = settings.api_key
        uvicorn.run("detente.service:create_app", factory=True, host=args.host, port=args.port, workers=args.processes)
        return 0
    err(f"serving {settings.db} on http://{args.host}:{args.port}/ (API docs at /docs); Ctrl-C stops")
    uvicorn.run(create_app(settings, watcher=watcher), host=args.host, port=args.port, log_level="warning")
    return 0


def watch_options(sub: Any) -> None:
    p = sub.add_parser(
        "watch",
        help="poll RSS/Atom feeds on a schedule and store new articles",
        description=(
            "Poll feeds every INTERVAL with conditional GETs (ETag / Last-Modified), fetching only item pages not yet "
            "stored, spaced --spacing seconds apart, at most --max-items per feed per poll. Ctrl-C stops."
        ),
    )
    p.add_argument("feeds", nargs="+", metavar="FEED", help="feed URL, or an RSS/Atom file (reread when it changes)")
    p.add_argument("--every", default="15m", metavar="INTERVAL", help="15m, 30s, 1h... (default: 15m)")
    p.add_argument("--spacing", type=float, default=2.0, metavar="SECONDS", help="wait between requests (default: 2)")
    p.add_argument("--max-items", type=int, default=100, metavar="N", help="items per feed per poll (default: 100)")
    p.add_argument("--once", action="store_true", help="poll once and exit")
    settings_options(p, ("db", *CODING_SETTINGS))


def cmd_watch(args: argparse.Namespace) -> int:
    import threading

    from ..service.watch import Watcher, parse_every

    settings = settings_from(args)
    every = parse_every(args.every)
    watcher = Watcher(args.feeds, settings, every=every, spacing=args.spacing, max_items=args.max_items, log=err)
    watcher.run(threading.Event(), polls=1 if args.once else None)
    return 0


COMMANDS = {"serve": (serve_options, cmd_serve), "watch": (watch_options, cmd_watch)}
