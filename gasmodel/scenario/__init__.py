"""Scenarios as data (:mod:`.model`), run (:mod:`.runner`) on a chain behind a backend protocol
(:mod:`.backend`): a local chain (:mod:`.localnet`, imported on first use: it loads cosmpy) or the
mock chain (:mod:`.offline`), into results files (:mod:`.results`)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from gasmodel.scenario.backend import ScenarioBackend
from gasmodel.scenario.model import ChainSettings, Scenario, ScenarioError, load_scenario, scenario_from_data
from gasmodel.scenario.results import ScenarioResult, StepResult
from gasmodel.scenario.runner import execute_scenario

if TYPE_CHECKING:
    from gasmodel.scenario.localnet import run_on_fresh_localnet, run_scenario
    from gasmodel.scenario.offline import run_offline

_LAZY = {
    "run_on_fresh_localnet": "gasmodel.scenario.localnet",
    "run_scenario": "gasmodel.scenario.localnet",
    "run_offline": "gasmodel.scenario.offline",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gasmodel.scenario' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "ChainSettings",
    "Scenario",
    "ScenarioBackend",
    "ScenarioError",
    "ScenarioResult",
    "StepResult",
    "execute_scenario",
    "load_scenario",
    "run_offline",
    "run_on_fresh_localnet",
    "run_scenario",
    "scenario_from_data",
]
