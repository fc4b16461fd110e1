"""What made a calibration: tool versions and the time, recorded in every report so that an old
calibration can be compared with a new one."""

from __future__ import annotations

import platform
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "not installed"


class Provenance(BaseModel):
    """Versions of the tools that made a report, the machine, and the chain's versions (if any)."""

    model_config = ConfigDict(frozen=True)

    created_at: str
    gasmodel: str
    wasmtime: str
    scipy: str
    python: str
    machine: str
    cpus: int | None = None
    chain: dict[str, Any] = Field(default_factory=dict, description="versions the chain reported")


def provenance(chain: dict[str, Any] | None = None) -> Provenance:
    """The provenance of a report made now on this machine."""
    import os

    return Provenance(
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        gasmodel=_version("gasmodel"),
        wasmtime=_version("wasmtime"),
        scipy=_version("scipy"),
        python=platform.python_version(),
        machine=f"{platform.system()} {platform.machine()}",
        cpus=os.cpu_count(),
        chain=dict(chain or {}),
    )
