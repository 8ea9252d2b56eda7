"""The service over the store: the REST API (routes.py), the web dashboard (dashboard.py), offline API docs
(docs.py) and feed watching (watch.py), put together by app.create_app."""

from .app import create_app

__all__ = ["create_app"]
