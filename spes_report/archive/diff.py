"""What differs between a month's archived snapshot and a new build of it, as records.

Given to the user when the archive refuses the new build, so that a refusal
always says why: another input, tolerance, date, tool version or mission
plan, an earlier month replaced since (the history), or the figures.
The CLI's messages turn these records into French.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class DateChanged:
    archived: date
    new: date


@dataclass(frozen=True)
class InputChanged:
    archived_name: str
    new_name: str
    same_content: bool


@dataclass(frozen=True)
class ToleranceChanged:
    archived: float
    new: float


@dataclass(frozen=True)
class ToolVersionChanged:
    archived: str
    new: str


@dataclass(frozen=True)
class FreshnessChanged:
    """How old a rate may be before it is « non actualisé » (None: not recorded, 0.1.0)."""

    archived: int | None
    new: int | None


@dataclass(frozen=True)
class PlanChanged:
    """The plan differs from the archived one: its missions, targets or texts or, with
    ``same_content``, only its file (another name, another format, a re-save)."""

    same_content: bool = False


class CommitteeChange(enum.Enum):
    GONE = "gone"  # no longer in the archive
    ADDED = "added"  # archived since
    REPLACED = "replaced"  # replaced since (--replace)


@dataclass(frozen=True)
class HistoryChanged:
    """Earlier committees differ: an earlier month was replaced (or archived) since."""

    changes: tuple[tuple[date, CommitteeChange], ...]


@dataclass(frozen=True)
class RatesChanged:
    changed: int
    added: int
    removed: int


@dataclass(frozen=True)
class FiguresChanged:
    """The figures shown to the committee differ for these missions, or the average."""

    missions: tuple[int, ...]
    average: bool


@dataclass(frozen=True)
class Unexplained:
    """Same input and settings, yet another workbook: a bug to report."""


Difference = (DateChanged | InputChanged | ToleranceChanged | ToolVersionChanged
              | PlanChanged | FreshnessChanged | HistoryChanged | RatesChanged | FiguresChanged
              | Unexplained)


@dataclass(frozen=True)
class Differences:
    # Most likely cause first.
    items: tuple[Difference, ...]

    @property
    def history(self) -> bool:
        """An earlier month was replaced or archived since: --replace is the way out."""
        return any(isinstance(item, HistoryChanged) for item in self.items)


def differences(archived: Mapping[str, Any], new: Mapping[str, Any]) -> Differences:
    """Compare two manifests of the same month (both of the shape archive writes)."""
    items: list[Difference] = []
    if archived["report_date"] != new["report_date"]:
        items.append(DateChanged(date.fromisoformat(archived["report_date"]),
                                 date.fromisoformat(new["report_date"])))
    before_input, new_input = archived["input"], new["input"]
    if (before_input["name"], before_input["sha256"]) != (new_input["name"], new_input["sha256"]):
        items.append(InputChanged(before_input["name"], new_input["name"],
                                  before_input["sha256"] == new_input["sha256"]))
    if archived["tolerance_points"] != new["tolerance_points"]:
        items.append(ToleranceChanged(archived["tolerance_points"], new["tolerance_points"]))
    if "freshness_days" in archived and archived["freshness_days"] != new.get("freshness_days"):
        items.append(FreshnessChanged(archived["freshness_days"], new.get("freshness_days")))
    if archived["tool_version"] != new["tool_version"]:
        items.append(ToolVersionChanged(archived["tool_version"], new["tool_version"]))
    renamed = ("plan" in archived and "plan" in new
               and archived["plan"]["name"] != new["plan"]["name"])
    if archived["definitions_sha256"] != new["definitions_sha256"] or renamed:
        # A month filed before plans were archived has only the file's SHA-256 to compare.
        same = ("plan" in archived and "plan" in new
                and plan_content(archived) == plan_content(new))
        items.append(PlanChanged(same))
    history = _history(archived["history"], new["history"])
    if history:
        items.append(HistoryChanged(history))
    if archived["measurements"] != new["measurements"]:
        items.append(_rates(archived["measurements"], new["measurements"]))
    figures = _figures(archived["summary"], new["summary"])
    if figures is not None:
        items.append(figures)
    if not items and archived != new:
        items.append(Unexplained())
    return Differences(tuple(items))


def _history(archived: list[Mapping[str, Any]], new: list[Mapping[str, Any]],
             ) -> tuple[tuple[date, CommitteeChange], ...]:
    before = {c["report_date"]: c for c in archived}
    now = {c["report_date"]: c for c in new}
    changes = []
    for day in sorted(before.keys() | now.keys()):
        if day not in now:
            changes.append((date.fromisoformat(day), CommitteeChange.GONE))
        elif day not in before:
            changes.append((date.fromisoformat(day), CommitteeChange.ADDED))
        elif before[day] != now[day]:
            changes.append((date.fromisoformat(day), CommitteeChange.REPLACED))
    return tuple(changes)


def _rates(archived: list[Mapping[str, Any]], new: list[Mapping[str, Any]]) -> RatesChanged:
    before = {(m["mission"], m["date"]): m["rate"] for m in archived}
    now = {(m["mission"], m["date"]): m["rate"] for m in new}
    return RatesChanged(
        changed=sum(1 for key in before.keys() & now.keys() if before[key] != now[key]),
        added=len(now.keys() - before.keys()),
        removed=len(before.keys() - now.keys()),
    )


def _figures(archived: Mapping[str, Any], new: Mapping[str, Any]) -> FiguresChanged | None:
    before = {m["number"]: m for m in archived["missions"]}
    now = {m["number"]: m for m in new["missions"]}
    numbers = tuple(sorted(n for n in before.keys() | now.keys() if before.get(n) != now.get(n)))
    average = archived["average_actual"] != new["average_actual"]
    if not numbers and not average:
        return None
    return FiguresChanged(numbers, average)


def plan_content(manifest: Mapping[str, Any]) -> Any:
    """What a committee saw of its plan (manifest.plan_to_json's keys), whatever its file;
    the file's SHA-256 for a month filed before plans were archived."""
    plan = manifest.get("plan")
    if plan is None:
        return manifest.get("definitions_sha256")
    return {key: plan.get(key) for key in ("service", "title", "missions")}
