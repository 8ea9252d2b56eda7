"""Shared fixtures: one pipeline (one spaCy load) per test session, paths to the shared datasets."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold"
EXAMPLE = ROOT / "examples" / "ankara-yerevan-thaw.txt"
EXAMPLE_PUBLISHED = "2026-03-14"


@pytest.fixture(scope="session")
def pipeline():
    from detente.api import pipeline as shared

    return shared()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: the shared datasets and gold files live beside the repository")
    return SHARED


@pytest.fixture()
def code(pipeline):
    """Code one text and return its event records."""
    from datetime import date

    from detente.api import records

    def run(text: str, published: str | None = "2024-06-15"):
        pub = date.fromisoformat(published) if published else None
        return records(pipeline.code_text(text, published=pub))

    return run
