"""Calibration: the model against wasmtime fuel, measured time and a real chain (docs/calibration.md).

* :func:`calibrate_fuel` (:mod:`.fuel`): every contract call of a scenario, exact counts priced as
  fuel against wasmtime's own fuel.
* :func:`calibrate_time` (:mod:`.timing`): wasmtime time per opcode class from WAT workloads (and
  corpus calls), NNLS and robust fits, a cost table.
* :func:`calibrate_chain` (:mod:`.chain`): the tx-level numbers of a chain profile fitted to
  recorded chain runs, the VM preset found by residuals, held-out steps judged to the unit.
"""

from gasmodel.calibrate.chain import ChainReport, calibrate_chain, load_recorded
from gasmodel.calibrate.fuel import FuelReport, calibrate_fuel
from gasmodel.calibrate.timing import TimeReport, calibrate_time

__all__ = [
    "ChainReport",
    "FuelReport",
    "TimeReport",
    "calibrate_chain",
    "calibrate_fuel",
    "calibrate_time",
    "load_recorded",
]
