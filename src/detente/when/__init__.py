"""Event time: time expressions resolved to dates (expressions.py), and dates attached to events (attach.py)."""

from .attach import date_events
from .expressions import MONTHS, WEEKDAYS, resolve

__all__ = ["MONTHS", "WEEKDAYS", "date_events", "resolve"]
