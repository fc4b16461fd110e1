"""Scenarios as data (:mod:`.model`), run on a chain (:mod:`.runner`) into results files (:mod:`.results`)."""

from __future__ import annotations

from gasmodel.scenario.model import Scenario, ScenarioError, load_scenario, scenario_from_data
from gasmodel.scenario.results import ScenarioResult, StepResult
from gasmodel.scenario.runner import run_on_fresh_localnet, run_scenario

__all__ = [
    "Scenario",
    "ScenarioError",
    "ScenarioResult",
    "StepResult",
    "load_scenario",
    "run_on_fresh_localnet",
    "run_scenario",
    "scenario_from_data",
]
