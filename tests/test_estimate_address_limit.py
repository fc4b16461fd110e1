"""Under a 2 GiB address-space limit wasmtime cannot map an instance's memories (it reserves several GiB
of address space each): `gasmodel estimate` must say so in one line and exit 2, not report it as the
chain's outcome (the chain would have run the call).

Oracle: the kernel's RLIMIT_AS (set in the child process) and the CLI contract: one line on
standard error, exit code 2, no traceback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_estimate_under_an_address_space_limit_is_one_clear_line() -> None:
    script = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30)); "
        "from gasmodel.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, "estimate", str(ROOT / "contracts/artifacts/counter.wasm"),
         "--instantiate", '{"count": 0}', "--execute", '{"increment": {}}'],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    if proc.returncode == 0:  # a wasmtime build that fits in 2 GiB: then the estimate must be right
        assert "gas_used" in proc.stdout
        return
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "could not reserve memory" in lines[0], proc.stderr
