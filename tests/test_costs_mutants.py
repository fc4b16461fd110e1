"""Tests that kill mutants of gasmodel/costs/ which survived scripts/mutation.py (see
benchmarks/results/mutation-survivors.md). Oracles: named in each test's docstring
(wabt's wat2wasm pinned by tests/wabt.py, the WebAssembly specification, public sources at tags)."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import AfterValidator, BaseModel, ValidationError

from gasmodel.costs.load import format_validation_error


def _not_negative(v: int) -> int:
    if v < 0:
        raise ValueError("must not be negative")
    return v


class _Limits(BaseModel):
    limits: dict[str, Annotated[int, AfterValidator(_not_negative)] | str]


def test_validator_segments_are_dropped_from_an_error_location() -> None:
    """format_validation_error 13, 14: pydantic tags a union member's error location with the member's
    validator (``function-after[...]``); the message names only the field path.

    Oracle: pydantic's documented error location for a union (one entry per member, the member's schema
    in the last segment), printed here before formatting; the expected text is written by hand from the
    function's documented ``field.path: message`` format.
    """
    with pytest.raises(ValidationError) as exc:
        _Limits.model_validate({"limits": {"memory": -3}})
    locs = [err["loc"] for err in exc.value.errors()]
    assert locs[0] == ("limits", "memory", "function-after[_not_negative(), int]")
    text = format_validation_error(exc.value)
    assert text.split("; ")[0] == "limits.memory: must not be negative (got -3)"
