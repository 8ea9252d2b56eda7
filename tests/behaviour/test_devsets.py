"""Regression floors on the shared development sets, scored by benchmarks/devsets.py.

These pin what detente reaches today (measured 2026-11-29), a little below, so that no change quietly
loses ground; the issues' own targets are printed by the benchmark (`python benchmarks/devsets.py`).
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from ..conftest import ROOT

# dataset -> {check name prefix: floor}. Where an issue's floor is met, the floor is the issue's own; where it is
# not met yet (PLOVER target F1, SemEval pseudo-events), a regression pin a little below today's value.
FLOORS = {
    "meantime": {"DATE value accuracy": 0.85},  # issue 5
    "petrarch": {"CAMEO root micro F1": 0.60},  # issue 3
    "plover": {
        "event type accuracy": 0.70,  # issue 3
        "actor country accuracy": 0.85,  # issue 4
        "actor sector accuracy": 0.70,  # issue 4
        "source country F1": 0.80,  # issue 3
        "target country F1": 0.80,  # issue 3
        # issue 3: confidence means something; events scored >= 0.8 are right at least 80% of the time
        "events with confidence >= 0.8 that are right": 0.80,
    },
    # issue 5 asks 0.70: met reading whole documents in order (0.707); sentence by sentence, without the
    # discourse, 0.665 (a regression pin)
    "semeval": {"date accuracy, pseudo-event at": 0.64, "date accuracy, pseudo-event, whole": 0.70},
    "location": {"one gold place": 0.75, "no gold place": 0.85},  # issue 5 (0.75, 0.70)
    # issue 14, whole annotated articles (the table by CAMEO root and kind of miss is printed, not pinned)
    "articles": {"recall, required gold events": 0.55, "precision, coded events": 0.70},
}


@pytest.fixture(scope="module")
def devsets(shared_dir, pipeline):
    spec = importlib.util.spec_from_file_location("devsets", ROOT / "benchmarks" / "devsets.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["devsets"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.parametrize("dataset", sorted(FLOORS))
def test_dev_set_floors(devsets, pipeline, dataset, capsys):
    devsets.CHECKS.clear()
    devsets.DATASETS[dataset](pipeline, None, 0)
    capsys.readouterr()
    for prefix, floor in FLOORS[dataset].items():
        found = [c for c in devsets.CHECKS if c.name.strip().startswith(prefix)]
        assert found, f"no check named {prefix!r} in {dataset}"
        assert found[0].value is not None and found[0].value >= floor, (dataset, prefix, found[0].value)
