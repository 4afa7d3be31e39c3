"""The plan in force: missions and their targets, from plan.xlsx, a TOML file or the default.

One model read two ways: ``plan.xlsx`` (the file staff edit, plan/sheet.py)
and TOML (the default embedded in the package, and what tests write,
plan/toml.py); both go through the same checks (plan/checks.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..model import Plan, SourceInfo
from ..naming import EMBEDDED_PLAN_LABEL
from ..problems import Problem
from .checks import CheckedPlan
from .toml import parse_toml_plan, read_toml

# The plan a command uses when none is given and the folder holds one.
PLAN_FILE = Path("plan.xlsx")
EMBEDDED_NAME = "missions.toml"
# A plain path rather than importlib.resources: the package is always installed
# as files, and the lighter import keeps the command quick to start.
EMBEDDED_PATH = Path(__file__).parent.parent / "data" / EMBEDDED_NAME


@dataclass(frozen=True)
class LoadedPlan:
    plan: Plan
    # Where it came from: the file's name (or naming.EMBEDDED_PLAN_LABEL) and SHA-256.
    source: SourceInfo
    # Legal but suspicious (a target lower than the one before): said, never blocking.
    warnings: tuple[Problem, ...] = ()
    # The file's bytes exactly as read and hashed (archived with each month).
    content: bytes = field(default=b"", repr=False)
    # ".xlsx" or ".toml": the format of ``content``.
    suffix: str = ".toml"


@cache
def embedded_plan_bytes() -> bytes:
    """The raw bytes of the embedded plan (hashed in the archive manifest)."""
    return EMBEDDED_PATH.read_bytes()


def read_plan(path: Path | None = None) -> LoadedPlan:
    """The plan at ``path`` (.xlsx, or .toml), or the embedded one; InputError on problems."""
    if path is None:
        return _embedded()
    if path.suffix.lower() == ".toml":
        from ..filekind import PLAN_ROLE, read_input

        raw = read_input(path, PLAN_ROLE)
        return _loaded(read_toml(raw, path.name), path.name, raw, ".toml")
    from .sheet import read_sheet_plan

    raw, checked = read_sheet_plan(path)
    return _loaded(checked, path.name, raw, ".xlsx")


def plan_path(given: Path | None, folder: Path = Path()) -> Path | None:
    """The plan a command uses: ``given``, else ``plan.xlsx`` in ``folder`` when it
    exists, else None (the embedded plan)."""
    if given is not None:
        return given
    found = folder / PLAN_FILE
    # A broken link is a plan the user meant: reading it says what is wrong.
    return found if found.exists() or found.is_symlink() else None


def load_plan(path: Path | None = None) -> Plan:
    """The plan at ``path``, or the one embedded in the package."""
    return read_plan(path).plan


@cache
def _embedded() -> LoadedPlan:
    # Immutable: reading and checking it once per process is enough.
    raw = embedded_plan_bytes()
    loaded = _loaded(read_toml(raw, EMBEDDED_NAME), EMBEDDED_NAME, raw, ".toml")
    return LoadedPlan(loaded.plan, SourceInfo(EMBEDDED_PLAN_LABEL, loaded.source.sha256),
                      loaded.warnings, raw, ".toml")


def _loaded(checked: CheckedPlan, name: str, raw: bytes, suffix: str) -> LoadedPlan:
    return LoadedPlan(checked.plan, SourceInfo(name, hashlib.sha256(raw).hexdigest()),
                      checked.warnings, raw, suffix)


def parse_plan(data: dict[str, Any], name: str = EMBEDDED_NAME) -> Plan:
    """The plan in a TOML structure (as ``tomllib`` gives it), checked."""
    return parse_toml_plan(data, name).plan


__all__ = ["PLAN_FILE", "LoadedPlan", "embedded_plan_bytes", "load_plan",
           "parse_plan", "plan_path", "read_plan"]
