"""--device cuda on a machine with a GPU: torch cases run there, expected values stay CPU-computed.

Skipped (not faked) where no CUDA GPU is visible.
"""
from pathlib import Path

import pytest
import torch

from grader import api

REPO = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.cuda,
              pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA GPU visible (torch.cuda.is_available())")]


@pytest.mark.parametrize("exercise", ["ex02", "ex03", "ex04", "ex05", "ex06", "ex07", "ex08"])
def test_reference_passes_on_the_gpu(exercise):
    result = api.check(REPO / "reference", exercise=exercise, device="cuda", include_hidden=True)
    assert result.device == "cuda"
    assert [(c.name, c.message) for c in result.cases if not c.passed] == []


def test_auto_picks_the_gpu():
    assert api.resolve_device("auto") == "cuda"
