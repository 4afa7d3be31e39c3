"""The `archive` commands' jobs: list the archived committees, verify each snapshot.

Verifying a snapshot checks every SHA-256 of its manifest against the files,
reports files missing or added, and rebuilds its workbook in memory from the
archived input (with the archived date, tolerance and history) to check that
it comes out byte for byte the same.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import __version__, french
from .archive import (
    MANIFEST_NAME,
    SUPERSEDED_PREFIX,
    ArchivedMonth,
    archived_months,
    definitions_sha256,
    history_from_manifest,
    measurement_to_json,
    read_manifest,
    reason,
    sha256_bytes,
    sha256_file,
    staging_leftovers,
    summary_json,
)
from .french import long_date as french_long_date
from .manifest_shape import ManifestError
from .model import SUMMARY_STATUSES
from .problems import InputError, Problem

MONTH_INPUT = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4}))\s*$")


def parse_month(text: str) -> str | None:
    """``2020-06`` from ``2020-06``, ``06/2020`` or a date in that month; None if unreadable."""
    from .parsing import parse_date

    found = MONTH_INPUT.match(text)
    if found:
        year, month = (found[1], found[2]) if found[1] else (found[4], found[3])
        return f"{int(year):04d}-{int(month):02d}" if 1 <= int(month) <= 12 else None
    parsed = parse_date(text)
    return f"{parsed:%Y-%m}" if isinstance(parsed, date) else None


# --- archive list -------------------------------------------------------------------

def list_lines(root: Path) -> list[str]:
    """One French line per archived month, oldest first."""
    return [month_line(month) for month in archived_months(root)]


def month_line(month: ArchivedMonth) -> str:
    """``2020-06 — comité du 1er juin 2020 : 5 conformes, … ; taux moyen 78,4 % ; non remplacé``."""
    name = month.folder.name
    replaced = len(month.superseded)
    replaced_text = ("non remplacé" if not replaced
                     else f"remplacé {replaced} fois (versions antérieures conservées)")
    if month.manifest is None:
        return f"{name} — fiche du comité illisible : {month.error} ; {replaced_text}"
    # read_manifest checked the manifest's shape: these keys are there, well typed.
    manifest = month.manifest
    day = date.fromisoformat(manifest["report_date"])
    summary = manifest["summary"]
    counts = [(status, summary["status_counts"].get(status.value, 0))
              for status in SUMMARY_STATUSES]
    average = summary["average_actual"]
    average_text = french.percent(average, keep_zeros=True)
    return (f"{name} — comité du {french_long_date(day)} : {french.status_counts(counts)} ; "
            f"taux moyen {average_text} ; {replaced_text}")


# --- archive verify -----------------------------------------------------------------

@dataclass(frozen=True)
class Verification:
    # The snapshots checked, as paths relative to the archive: 2020-06, 2020-06/superseded-…
    checked: tuple[str, ...]
    problems: tuple[Problem, ...]


def verify(root: Path, month: str | None = None) -> Verification:
    """Check every snapshot of the archive, or of ``month`` (``2020-06``) only.

    Superseded snapshots are snapshots too: they are checked the same way.
    """
    problems: list[Problem] = []
    months = archived_months(root)
    if month is not None:
        months = [m for m in months if m.folder.name == month]
        if not months:
            problems.append(Problem("archive-month-missing", str(root / month), "", "",
                                    f"aucun comité n'est archivé pour le mois {month}"))
    checked: list[str] = []
    for archived in months:
        for folder in (archived.folder, *archived.superseded):
            label = folder.relative_to(root).as_posix()
            checked.append(label)
            problems.extend(verify_snapshot(folder, label, is_month=folder == archived.folder))
    for leftover in staging_leftovers(root):
        if month is None or leftover.name.startswith(f".{month}."):
            problems.append(Problem(
                "archive-staging-left", leftover.name, "", "",
                "dossier temporaire laissé par une construction interrompue : il peut "
                "contenir un comité ; vérifiez son contenu avant de le déplacer"))
    return Verification(tuple(checked), tuple(problems))


def verify_snapshot(folder: Path, label: str, is_month: bool) -> list[Problem]:
    """The problems of one snapshot folder; ``is_month`` when it may hold superseded ones."""
    place = f"{label}/{MANIFEST_NAME}"
    try:
        manifest = read_manifest(folder)
    except FileNotFoundError:
        return [Problem("archive-manifest-missing", place, "", "",
                        "fiche du comité (manifeste) absente : le contenu de ce comité ne "
                        "peut pas être vérifié")]
    except ManifestError as error:
        return [Problem("archive-manifest-invalid", place, flaw.found, flaw.expected,
                        f"fiche du comité illisible : {flaw.sentence}") for flaw in error.flaws]
    except OSError as error:
        return [Problem("archive-manifest-unreadable", place, "", "",
                        f"fiche du comité illisible : {reason(error)}")]

    files: Mapping[str, str] = manifest["files"]
    problems = _check_files(folder, label, files, is_month)
    damaged = {p.place for p in problems}
    input_file = manifest["input"]["file"]
    if f"{label}/{input_file}" in damaged:
        problems.append(Problem(
            "archive-rebuild-skipped", label, "", "",
            "reconstruction non tentée : le fichier de saisie archivé est absent ou modifié"))
    else:
        problems.extend(_check_rebuild(folder, label, manifest))
    return problems


def _check_files(folder: Path, label: str, files: Mapping[str, str],
                 is_month: bool) -> list[Problem]:
    problems = []
    for name, expected in sorted(files.items()):
        path = folder / name
        place = f"{label}/{name}"
        if not path.is_file():
            problems.append(Problem("archive-file-missing", place, "", "",
                                    "fichier manquant (il figure au manifeste)"))
        elif sha256_file(path) != expected:
            problems.append(Problem(
                "archive-file-changed", place, "", "",
                "fichier modifié depuis l'archivage (son empreinte SHA-256 ne correspond "
                "plus à celle du manifeste)"))
    for path in sorted(folder.iterdir()):
        if path.name == MANIFEST_NAME or path.name in files:
            continue
        if is_month and path.is_dir() and path.name.startswith(SUPERSEDED_PREFIX):
            continue  # an earlier snapshot, checked on its own
        problems.append(Problem("archive-file-added", f"{label}/{path.name}", "", "",
                                "fichier ajouté après l'archivage (absent du manifeste)"))
    return problems


def _check_rebuild(folder: Path, label: str, manifest: Mapping[str, Any]) -> list[Problem]:
    """Rebuild the workbook from the archived input and compare it with the manifest."""
    from .builder import build_report
    from .definitions import load_definitions
    from .loader import load_input
    from .writers.workbook import workbook_bytes

    try:
        definitions = load_definitions()
        source_info = manifest["input"]
        loaded = load_input(folder / source_info["file"], definitions)
        report = build_report(
            definitions, loaded.data, date.fromisoformat(manifest["report_date"]),
            float(manifest["tolerance_points"]),
            # The workbook names the input as it was called when it was built.
            dataclasses.replace(loaded.source, file_name=source_info["name"]),
            __version__, history_from_manifest(manifest),
        )
        content = workbook_bytes(report, definitions)
        expected = manifest["files"][manifest["workbook"]]
    except InputError as error:
        return [Problem("archive-rebuild-failed", label, "", "",
                        "la saisie archivée ne se relit plus : "
                        + " ; ".join(str(p) for p in error.problems))]
    except (KeyError, TypeError, ValueError):
        # read_manifest checked the shape: this would be a value the builder refuses.
        return [Problem("archive-manifest-unusable", f"{label}/{MANIFEST_NAME}", "", "",
                        "fiche du comité inutilisable : le classeur n'a pas pu être "
                        "reconstruit à partir de ses informations")]

    if sha256_bytes(content) != expected:
        return [Problem(
            "archive-rebuild-differs", label, "", "",
            "le classeur reconstruit à partir de la saisie archivée diffère du classeur "
            f"archivé : {_likely_cause(manifest, definitions_sha256(definitions))}")]
    # The workbook reproduces: figures that differ were edited in the manifest.
    problems = []
    recomputed = {"summary": summary_json(report),
                  "measurements": [measurement_to_json(m) for m in
                                   sorted(loaded.data.measurements,
                                          key=lambda m: (m.mission, m.on))]}
    for key, value in recomputed.items():
        if manifest.get(key) != value:
            problems.append(Problem(
                "archive-manifest-differs", f"{label}/{MANIFEST_NAME}", "", "",
                f"la partie « {key} » du manifeste a été modifiée : elle ne correspond "
                "plus au classeur archivé"))
    return problems


def _likely_cause(manifest: Mapping[str, Any], current_definitions: str) -> str:
    causes = []
    archived_version = manifest.get("tool_version")
    if archived_version != __version__:
        causes.append(f"la version de l'outil a changé depuis l'archivage "
                      f"({archived_version} → {__version__})")
    if manifest.get("definitions_sha256") != current_definitions:
        causes.append("les définitions des missions (cibles, textes) ont changé depuis "
                      "l'archivage")
    if not causes:
        return ("ni la version de l'outil ni les définitions des missions n'ont changé : "
                "cause inconnue, à signaler à l'équipe qui maintient l'outil")
    return " ; ".join(causes)
