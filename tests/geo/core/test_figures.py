"""geo.core.figures: areas no more precise than their sources."""

from __future__ import annotations

import pytest

from geo.core.figures import approx, area_label, cut_note, round_sig


@pytest.mark.parametrize(
    ("value", "expected"),
    [(6289.3, 6300), (232.42, 230), (418.9, 420), (12.566, 13), (0.0, 0), (95_449.0, 95_000),
     (6250.0, 6200)],  # (half to even, as round() does)
)
def test_round_sig_keeps_two_significant_figures(value: float, expected: int) -> None:
    assert round_sig(value) == expected


def test_round_sig_to_other_digits() -> None:
    assert round_sig(6289.3, 3) == 6290
    assert round_sig(6289.3, 1) == 6000


def test_approx_and_labels() -> None:
    assert approx(6289.3) == "≈ 6,300"
    assert area_label(420) == "≈ 420 km² (schematic)"
    assert area_label(6300, 36.6) == ("≈ 6,300 km² (schematic); cut at 36.6° E, the edge of the "
                                      "staged data: the full area is larger")
    assert cut_note(36.6) == "cut at 36.6° E"


def test_build_scripts_use_the_same_functions() -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "scripts" / "sourcing.py"
    spec = importlib.util.spec_from_file_location("sourcing", path)
    assert spec and spec.loader
    sourcing = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sourcing)
    assert sourcing.round_sig is round_sig and sourcing.area_label is area_label
