"""A snapshot's ``manifest.json``: written atomically, read back checked, and its JSON forms."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..files import write_atomically
from ..model import (
    ExcludedCommittee,
    Exclusion,
    Measurement,
    Milestone,
    Mission,
    PastCommittee,
    Plan,
    Report,
)
from .layout import MANIFEST_NAME
from .shape import MANIFEST_FORMAT, Flaw, ManifestError, check_manifest

if TYPE_CHECKING:
    from ..plan import LoadedPlan

# The manifest keys that describe the snapshot itself. Other keys are events
# recorded later (e.g. "envois", the sendings), the build time and the seal:
# they do not make two snapshots different.
CONTENT_KEYS = ("format", "report_date", "tool_version", "tolerance_points", "input",
                "definitions_sha256", "workbook", "files", "summary", "measurements",
                "history", "excluded")
# Content keys added since seals exist: part of the content only when present, so
# that a manifest sealed before they existed keeps its seal.
LATER_CONTENT_KEYS = ("plan", "freshness_days", "projections")
# The key of the content's SHA-256, written when the month is filed (see ``seal``).
SEAL_KEY = "seal"
# The month's PDF, added once its workbook is printed (build --pdf): sealed, since the
# committee may have been sent it, but not content: its bytes depend on the LibreOffice
# that printed it, so two prints of one workbook are the same snapshot.
PDF_KEY = "pdf"


def read_manifest(folder: Path) -> dict[str, Any]:
    """The month's manifest, checked to have the shape this tool writes.

    Raises OSError when the file cannot be read, ManifestError (a ValueError,
    with French flaws) when it is not JSON or not a manifest.
    """
    content = (folder / MANIFEST_NAME).read_bytes()
    try:
        data = json.loads(content.decode("utf-8"))
    except UnicodeDecodeError:
        raise ManifestError([Flaw("", "n'est pas un texte UTF-8")]) from None
    except json.JSONDecodeError as error:
        raise ManifestError([Flaw("", f"n'est pas du JSON valide (ligne "
                                      f"{error.lineno}, colonne {error.colno})")]) from None
    except RecursionError:  # "[[[[…" nested deeper than Python's stack
        raise ManifestError([Flaw("", "n'est pas du JSON lisible (imbrication "
                                      "trop profonde)")]) from None
    return check_manifest(data)


def manifest_or_error(folder: Path) -> tuple[dict[str, Any] | None, Exception | None]:
    """The folder's manifest, or None and the error that kept it from being read."""
    try:
        return read_manifest(folder), None
    except (OSError, ValueError) as error:
        return None, error


def write_manifest(folder: Path, manifest: Mapping[str, Any]) -> None:
    """Replace ``manifest.json`` atomically: a reader sees the old or the new, never half."""
    write_atomically(folder / MANIFEST_NAME, manifest_bytes(manifest))


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    """``manifest.json``'s content."""
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
            + "\n").encode("utf-8")


def snapshot_files(manifest: Mapping[str, Any]) -> dict[str, str]:
    """Every file of the snapshot with its SHA-256: those filed with it, and its PDF."""
    pdf = manifest.get(PDF_KEY)
    return {**manifest["files"], **({pdf["file"]: pdf["sha256"]} if pdf else {})}


def sha256_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- JSON forms ----------------------------------------------------------------------

def measurement_to_json(m: Measurement) -> dict[str, Any]:
    return {"mission": m.mission, "date": m.on.isoformat(), "rate": m.rate}


def measurement_from_json(data: Mapping[str, Any]) -> Measurement:
    return Measurement(int(data["mission"]), date.fromisoformat(data["date"]),
                       float(data["rate"]))


def measurements_json(measurements: Iterable[Measurement]) -> list[dict[str, Any]]:
    """Every rate read, in a stable order (mission, then date)."""
    return [measurement_to_json(m) for m in sorted(measurements, key=lambda m: (m.mission, m.on))]


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def committee_to_json(committee: PastCommittee) -> dict[str, Any]:
    return {
        "report_date": committee.report_date.isoformat(),
        "actuals": [{"mission": n, "actual": a} for n, a in committee.actuals],
        "average_actual": committee.average_actual,
        "measurements": [measurement_to_json(m) for m in committee.measurements],
        **({"plan": plan_to_json(committee.plan)} if committee.plan is not None else {}),
        **({"projections": [{"mission": n, "due": due.isoformat(), "rate": rate}
                            for n, due, rate in committee.projections]}
           if committee.projections else {}),
    }


def committee_from_json(data: Mapping[str, Any]) -> PastCommittee:
    return PastCommittee(
        report_date=date.fromisoformat(data["report_date"]),
        actuals=tuple((int(a["mission"]), _optional_float(a["actual"]))
                      for a in data["actuals"]),
        average_actual=_optional_float(data["average_actual"]),
        measurements=tuple(measurement_from_json(m) for m in data["measurements"]),
        plan=plan_from_json(data["plan"]) if "plan" in data else None,
        projections=tuple((int(p["mission"]), date.fromisoformat(p["due"]), float(p["rate"]))
                          for p in data.get("projections", [])),
    )


def committee_from_manifest(manifest: Mapping[str, Any]) -> PastCommittee:
    """The committee a snapshot records, as later builds compare with it."""
    summary = manifest["summary"]
    return PastCommittee(
        report_date=date.fromisoformat(manifest["report_date"]),
        actuals=tuple((int(m["number"]), _optional_float(m["actual"]))
                      for m in summary["missions"]),
        average_actual=_optional_float(summary["average_actual"]),
        measurements=tuple(measurement_from_json(m) for m in manifest["measurements"]),
        plan=plan_from_json(manifest["plan"]) if "plan" in manifest else None,
        projections=tuple((int(p["mission"]), date.fromisoformat(a["due"]), float(a["rate"]))
                          for p in manifest.get("projections", []) for a in p["at"]),
    )


def history_from_manifest(manifest: Mapping[str, Any]) -> tuple[PastCommittee, ...]:
    """The earlier committees a snapshot's workbook was built with."""
    return tuple(committee_from_json(c) for c in manifest.get("history", []))


def excluded_from_manifest(manifest: Mapping[str, Any]) -> tuple[ExcludedCommittee, ...]:
    """The archived months a snapshot's history left out."""
    return tuple(ExcludedCommittee(str(e["month"]), Exclusion(e["reason"]))
                 for e in manifest.get("excluded", []))


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def summary_json(report: Report) -> dict[str, Any]:
    """The figures the committee was shown, per mission and overall."""
    return {
        "missions": [{
            "number": ms.mission.number,
            "title": ms.mission.title,
            "reference_milestone": _day(ms.reference_milestone),
            "target": ms.target,
            "actual": ms.actual,
            "actual_date": _day(ms.actual_date),
            "gap_points": ms.gap_points,
            "change_points": ms.change_points,
            "status": ms.status.value,
        } for ms in report.missions],
        "status_counts": {status.value: count for status, count in report.status_counts},
        "average_actual": report.average_actual,
    }


def projections_json(report: Report) -> list[dict[str, Any]]:
    """The projections the committee was shown, per mission: trajectory, paces and the
    rate projected at each échéance to come (later committees check them)."""
    return [{
        "mission": ms.mission.number,
        "trajectory": ms.projection.trajectory.value,
        "pace_points": ms.projection.pace_points,
        "needed_points": ms.projection.needed_points,
        "at": [{"due": due.isoformat(), "rate": rate} for due, rate in ms.projection.at],
        "reason": ms.projection.reason.value if ms.projection.reason else None,
    } for ms in report.missions]


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """What later committees need of a month's plan, without reading its file:
    each mission's title and targets (to list revisions and initial targets)."""
    return {
        "service": plan.service,
        "title": plan.title,
        "missions": [{
            "number": m.number,
            "title": m.title,
            "milestones": [{"due": ms.due.isoformat(), "target": ms.target}
                           for ms in m.milestones],
            "revision_reason": m.revision_reason,
        } for m in plan.missions],
    }


def plan_from_json(data: Mapping[str, Any]) -> Plan:
    return Plan(
        service=str(data["service"]), title=str(data["title"]),
        missions=tuple(Mission(
            number=int(m["number"]), title=str(m["title"]), objective="", description="",
            milestones=tuple(Milestone(date.fromisoformat(ms["due"]), float(ms["target"]))
                             for ms in m["milestones"]),
            revision_reason=str(m.get("revision_reason", "")),
        ) for m in data["missions"]))


def make_manifest(report: Report, *, measurements: Iterable[Measurement], input_name: str,
                  input_file: str, input_sha256: str, workbook: str,
                  files: Mapping[str, str], plan: LoadedPlan, plan_file: str,
                  built_at: str) -> dict[str, Any]:
    """The manifest of a snapshot; ``files`` maps each file name to its SHA-256;
    ``built_at`` is a UTC timestamp (files.utc_timestamp)."""
    return {
        "format": MANIFEST_FORMAT,
        "report_date": report.report_date.isoformat(),
        "built_at": built_at,
        "tool_version": report.tool_version,
        "tolerance_points": report.tolerance_points,
        "freshness_days": report.freshness_days,
        "input": {"name": input_name, "file": input_file, "sha256": input_sha256},
        # Kept from 0.1.0, whose manifests have no "plan": the plan file's SHA-256.
        "definitions_sha256": plan.source.sha256,
        "plan": {"name": plan.source.file_name, "file": plan_file,
                 "sha256": plan.source.sha256, **plan_to_json(plan.plan)},
        "workbook": workbook,
        "files": dict(sorted(files.items())),
        "summary": summary_json(report),
        "projections": projections_json(report),
        "measurements": measurements_json(measurements),
        "history": [committee_to_json(c) for c in report.history],
        # Only when there are some: a manifest without exclusions reads as before.
        **({"excluded": [{"month": e.month, "reason": e.reason.value} for e in report.excluded]}
           if report.excluded else {}),
    }


def content_of(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """What makes two snapshots the same: all but the build time and later events."""
    return {**{key: manifest.get(key) for key in CONTENT_KEYS},
            **{key: manifest[key] for key in LATER_CONTENT_KEYS if key in manifest}}


def seal(manifest: Mapping[str, Any]) -> str:
    """The SHA-256 of the manifest's content (``content_of``), in a canonical JSON form.

    Written in the manifest when it is filed: a figure edited by hand later
    no longer matches it. Sendings noted afterwards are not content, so
    they leave it valid. The PDF, added after filing, is sealed with the
    content (the seal is then written again, once checked).
    """
    sealed = content_of(manifest)
    if PDF_KEY in manifest:
        sealed[PDF_KEY] = manifest[PDF_KEY]
    canonical = json.dumps(sealed, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return sha256_bytes(canonical.encode("utf-8"))


def seal_intact(manifest: Mapping[str, Any]) -> bool | None:
    """Whether the manifest's content is still what was sealed; None for a manifest
    filed before seals existed (spes-report 0.1.0)."""
    written = manifest.get(SEAL_KEY)
    return None if written is None else written == seal(manifest)
