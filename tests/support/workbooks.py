"""A sample report (and past committees), and the written workbook read back: openpyxl, XML."""

from __future__ import annotations

import posixpath
import warnings
import zipfile
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from spes_report import (
    InputData,
    Measurement,
    Notes,
    Report,
    SourceInfo,
    build_report,
    load_plan,
)
from spes_report.model import PastCommittee, Plan

REPORT_DATE = date(2020, 6, 1)

# Text a spreadsheet could take for a formula, a DDE payload or a link.
HOSTILE = {
    1: Notes(comment="=1+1", attention="+33 1 40 81 21 22", next_steps="@SUM(A1)"),
    2: Notes(comment="=cmd|' /C calc'!A0", attention="https://example.org/piege",
             next_steps="-2 agents"),
    3: Notes(comment="Retard dû au report des séminaires ; reprise en septembre & "
                     "consolidation des indicateurs.",
             attention="\tTabulation en tête", next_steps="\rRetour chariot"),
}
HOSTILE_TEXTS = sorted({text for notes in HOSTILE.values()
                        for text in (notes.comment, notes.attention, notes.next_steps)
                        if text[:1] in "=+-@\t\r" or text.startswith("http")})

MEASUREMENTS = (
    # M1 ahead of its 85 % target: Conforme.
    Measurement(1, date(2020, 5, 11), 0.75), Measurement(1, date(2020, 6, 1), 0.86),
    # M2 4 points under 90 %: Vigilance.
    Measurement(2, date(2020, 6, 1), 0.86),
    # M3 with a measurement between two échéances; 15 points under: Alerte.
    Measurement(3, date(2020, 5, 11), 0.40), Measurement(3, date(2020, 5, 20), 0.50),
    Measurement(3, date(2020, 6, 1), 0.55),
    # M4 exactly at the tolerance (5 points under): still Vigilance.
    Measurement(4, date(2020, 6, 1), 0.85),
    # M5 has no figure: Non renseigné.
    Measurement(6, date(2020, 6, 1), 0.90),
    Measurement(7, date(2020, 6, 1), 0.62),
    Measurement(8, date(2020, 6, 1), 0.45),
)

SOURCE = SourceInfo("saisie_juin_2020.xlsx", "0123456789abcdef" * 4)


def sample_report(report_date: date = REPORT_DATE, plan: Plan | None = None,
                  extra: tuple[Measurement, ...] = ()) -> tuple[Report, Plan]:
    plan = plan or load_plan()
    data = InputData(committee_date=report_date, measurements=MEASUREMENTS + extra,
                     notes=HOSTILE)
    report = build_report(plan, data, report_date, source=SOURCE,
                          tool_version="0.1.0")
    return report, plan


def committee(day: date, actuals: dict[int, float | None],
              measurements: tuple[Measurement, ...] = (),
              average: float | None = None) -> PastCommittee:
    """An archived committee: the figure each mission was shown, and the rates it read."""
    return PastCommittee(day, tuple(sorted(actuals.items())), average, measurements)


def load(path: Path, data_only: bool = False) -> Any:
    """The workbook read back with openpyxl, which warns about the Excel 2010
    extensions (solid data bars) it cannot keep: expected here."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*extension is not supported",
                                category=UserWarning)
        return openpyxl.load_workbook(path, data_only=data_only)


NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "x14": "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}


def tag(prefix: str, name: str) -> str:
    """An element name in Clark notation, for ``iter``."""
    return f"{{{NS[prefix]}}}{name}"


def attribute(element: ElementTree.Element, path: str, name: str) -> str | None:
    """Attribute ``name`` of the first element at ``path``; fails if there is none."""
    found = element.find(path, NS)
    assert found is not None, path
    return found.get(name)


class Package:
    """The parts of an .xlsx file, found by following its relationships."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            self.parts = {name: archive.read(name) for name in archive.namelist()}

    def xml(self, part: str) -> ElementTree.Element:
        return ElementTree.fromstring(self.parts[part])

    def related(self, part: str, kind: str) -> list[str]:
        """Parts that ``part`` points to with relationships of type ``.../kind``."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        if rels not in self.parts:
            return []
        return [posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
                for rel in self.xml(rels).findall("rel:Relationship", NS)
                if rel.get("Type", "").endswith("/" + kind)]

    def sheets(self) -> dict[str, str]:
        """Sheet name -> its XML part, in workbook order."""
        workbook = self.xml("xl/workbook.xml")
        rels = self.xml("xl/_rels/workbook.xml.rels")
        targets = {rel.get("Id"): rel.get("Target")
                   for rel in rels.findall("rel:Relationship", NS)}
        rid = tag("r", "id")
        return {sheet.get("name", ""): "xl/" + str(targets[sheet.get(rid)])
                for sheet in workbook.findall("m:sheets/m:sheet", NS)}

    def charts(self, sheet_part: str) -> list[str]:
        return [chart for drawing in self.related(sheet_part, "drawing")
                for chart in self.related(drawing, "chart")]

    def cells(self, sheet_part: str) -> dict[str, ElementTree.Element]:
        return {c.get("r", ""): c for c in self.xml(sheet_part).iter(tag("m", "c"))}
