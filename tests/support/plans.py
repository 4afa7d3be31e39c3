"""Plans written as files: a Plan made in a test, saved as TOML and read back as the tool does."""

from __future__ import annotations

import json
from pathlib import Path

from spes_report.model import Plan
from spes_report.plan import LoadedPlan, read_plan


def plan_toml(plan: Plan) -> str:
    """``plan`` in the embedded file's schema (JSON strings are valid TOML strings)."""
    lines = ["[document]", f"service = {json.dumps(plan.service, ensure_ascii=False)}",
             f"title = {json.dumps(plan.title, ensure_ascii=False)}"]
    for mission in plan.missions:
        lines += ["", "[[mission]]", f"number = {mission.number}"]
        for key in ("title", "objective", "description", "pilot", "pilot_email",
                    "revision_reason"):
            lines.append(f"{key} = {json.dumps(getattr(mission, key), ensure_ascii=False)}")
        lines.append("milestones = [")
        lines += [f"  {{ due = {ms.due.isoformat()}, target_percent = {ms.target * 100!r} }},"
                  for ms in mission.milestones]
        lines.append("]")
    return "\n".join(lines) + "\n"


def toml_plan(path: Path, plan: Plan) -> LoadedPlan:
    """``plan`` written to ``path`` (a .toml file) and read back as ``--plan path`` reads it."""
    path.write_text(plan_toml(plan), encoding="utf-8")
    return read_plan(path)
