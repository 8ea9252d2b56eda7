"""Actors: who is who, when. Gazetteer tables in, resolved Actors out."""

from .gazetteer import Gazetteer, gazetteer
from .resolve import ArticleActors, at_date

__all__ = ["ArticleActors", "Gazetteer", "at_date", "gazetteer"]
