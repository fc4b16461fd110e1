"""The WebAssembly binary format: decoding modules and the opcode table.

``decode(bytes) -> Module`` decodes every section; function bodies become ``Function.ops``, a
compact ``array('H')`` of opcode ids (see :mod:`gasmodel.wasm.opcodes`), from which histograms and
cosmwasm-vm metering blocks derive in one pass. Imports nothing of gasmodel but ``gasmodel.errors``.
"""

from __future__ import annotations

from gasmodel.wasm.module import decode
from gasmodel.wasm.opcodes import BY_NAME, CATEGORIES, OPCODES, PROPOSALS, Opcode
from gasmodel.wasm.types import (
    ConstExpr,
    CustomSection,
    DataSegment,
    Element,
    Export,
    Function,
    FuncType,
    Global,
    GlobalType,
    Import,
    Memory,
    Module,
    Table,
)

__all__ = [
    "BY_NAME",
    "CATEGORIES",
    "OPCODES",
    "PROPOSALS",
    "ConstExpr",
    "CustomSection",
    "DataSegment",
    "Element",
    "Export",
    "FuncType",
    "Function",
    "Global",
    "GlobalType",
    "Import",
    "Memory",
    "Module",
    "Opcode",
    "Table",
    "decode",
]
