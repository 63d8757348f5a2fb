"""The widget tests draw headless (Agg) and close every figure they open."""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# shown_size.py (how large text comes out where a learner sees it) is shared with the plot tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plots"))
