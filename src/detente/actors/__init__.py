"""Actors: who is who, when. Gazetteer tables in, resolved Actors out."""

from .gazetteer import Gazetteer, country_code, gazetteer
from .phrase import Resolution, resolve_phrase
from .resolve import ArticleActors, at_date

__all__ = ["ArticleActors", "Gazetteer", "Resolution", "country_code", "at_date", "gazetteer", "resolve_phrase"]
