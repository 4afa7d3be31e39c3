"""`archive export`: every archived committee as one long table, for the service's own tools.

One row per committee, mission and échéance, as the mission sheets showed
them: the échéance's target, the rate reported for that date, the gap and
the status on the committee's date. The figures are recomputed from what
the manifest keeps (the plan's targets, every rate read) through the
builder, so they are the workbook's own. Only months whose files and
manifest are as filed are exported (archive.history.trustworthy); the
others are named, as a build names them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import french
from ..builder import build_report
from ..model import ArchivedFigure, Exclusion, InputData
from .history import ExcludedMonth, read_committee, trustworthy
from .layout import month_folders

# Column headers, in French: the file is opened by staff in Excel.
HEADERS = ("Date du comité", "N° de mission", "Mission", "Échéance", "Cible (%)",
           "Réalisé (%)", "Écart (points)", "Statut", "Empreinte du plan",
           "Empreinte de la saisie")


@dataclass(frozen=True)
class Export:
    figures: tuple[ArchivedFigure, ...]
    # Months left out: unreadable, changed since filed, or of a plan no longer known.
    excluded: tuple[ExcludedMonth, ...] = ()


def archived_figures(root: Path) -> Export:
    """Every trusted archived committee's figures, oldest committee first."""
    figures: list[ArchivedFigure] = []
    excluded: list[ExcludedMonth] = []
    for folder in month_folders(root):
        read = read_committee(folder)
        if isinstance(read, ExcludedMonth):
            excluded.append(read)
            continue
        manifest, committee = read
        plan = committee.plan
        if plan is None or not trustworthy(folder, manifest, committee):
            excluded.append(ExcludedMonth(folder, Exclusion.EDITED))
            continue
        report = build_report(plan, InputData(None, committee.measurements),
                              committee.report_date, float(manifest["tolerance_points"]))
        plan_sha = str(manifest.get("plan", {}).get("sha256", manifest["definitions_sha256"]))
        for ms in report.missions:
            figures += [ArchivedFigure(
                report_date=committee.report_date, mission=ms.mission.number,
                title=ms.mission.title, due=row.on, target=row.target, actual=row.actual,
                gap_points=row.gap_points, status=row.status, plan_sha256=plan_sha,
                input_sha256=str(manifest["input"]["sha256"]),
            ) for row in ms.timeline if row.is_milestone]
    return Export(tuple(figures), tuple(excluded))


def csv_bytes(figures: Sequence[ArchivedFigure]) -> bytes:
    """The table as a French Excel opens it straight: UTF-8 with a BOM, « ; » between
    fields, decimal commas, ISO dates, rates in percent."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for f in figures:
        writer.writerow([f.report_date.isoformat(), f.mission, f.title, f.due.isoformat(),
                         _number(f.target, 100), _number(f.actual, 100),
                         _number(f.gap_points, 1), f.status.value, f.plan_sha256,
                         f.input_sha256])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def _number(value: float | None, scale: float) -> str:
    """``87,5``: no thousands separator, no unit, so that Excel reads a number."""
    return "" if value is None else french.number(value * scale)


def export_day(figures: Sequence[ArchivedFigure]) -> date | None:
    """The latest committee exported (names the xlsx export's creation date)."""
    return max((f.report_date for f in figures), default=None)
