"""Calibration: the model against wasmtime fuel, measured time and a real chain (see docs/calibration.md)."""
