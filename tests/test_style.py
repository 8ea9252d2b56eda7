"""ruff and mypy run with the tests, so the test command is the whole gate."""

import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT


def _tool(name):
    exe = shutil.which(name) or str(ROOT / ".venv" / "bin" / name)
    if not shutil.which(exe):
        pytest.skip(f"{name} not installed; pip install -e '.[test]'")
    return exe


@pytest.mark.parametrize("args", [["check", "src", "tests", "benchmarks"], ["format", "--check", "src", "tests"]])
def test_ruff(args):
    out = subprocess.run([_tool("ruff"), *args], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy_strict():
    out = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr
