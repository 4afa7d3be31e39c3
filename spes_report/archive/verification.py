"""`archive verify`: every snapshot checked against its manifest and rebuilt.

Verifying a snapshot checks every SHA-256 of its manifest against the files
(what decides pass or fail), reports files missing or added, and rebuilds
the month in memory from its archived input and plan (with the archived
date, tolerance and history), through the same function as ``build``. A
month filed by this version must come out byte for byte the same; one filed
by another version has its figures recomputed with the current rules, and
the differences are reported as information: an upgrade changes how a
workbook looks, never what was presented. Problems are data with a French
message, like the input's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .. import __version__
from ..builder import DEFAULT_FRESHNESS_DAYS
from ..problems import InputError, Problem
from .layout import (
    MANIFEST_NAME,
    SUPERSEDED_PREFIX,
    month_folders,
    staging_leftovers,
    superseded_folders,
)
from .manifest import (
    PDF_KEY,
    excluded_from_manifest,
    history_from_manifest,
    measurements_json,
    plan_to_json,
    read_manifest,
    seal_intact,
    sha256_bytes,
    sha256_file,
    snapshot_files,
    summary_json,
)
from .shape import ManifestError

# The figures of a mission that verification compares across versions (summary_json keys).
MISSION_FIGURES = ("target", "actual", "gap_points", "status")


@dataclass(frozen=True)
class FigureChange:
    """A figure presented to a committee that the current rules compute differently."""

    # None for an overall figure.
    mission: int | None
    # A summary_json key ("status", "target"...), "average_actual", or "count:<status>".
    figure: str
    presented: Any
    now: Any


@dataclass(frozen=True)
class Recomputed:
    """A snapshot filed by another version of the tool, its figures recomputed with this one."""

    snapshot: str
    version: str
    changes: tuple[FigureChange, ...]
    # Filed before plans were archived (0.1.0): checked with the embedded plan.
    legacy_plan: bool = False
    # False when that embedded plan is not the one the month was built with.
    plan_known: bool = True
    # Why the archived input no longer reads under the current rules (then no figures).
    unreadable: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Verification:
    # The snapshots checked, as paths relative to the archive: 2020-06, 2020-06/superseded-…
    checked: tuple[str, ...]
    problems: tuple[Problem, ...]
    # Snapshots filed by another version: what the current rules say of their figures.
    recomputed: tuple[Recomputed, ...] = ()
    # The snapshots that hold a PDF (checked by its SHA-256 with the other files).
    pdfs: tuple[str, ...] = ()


def verify(root: Path, month: str | None = None) -> Verification:
    """Check every snapshot of the archive, or of ``month`` (``2020-06``) only.

    Superseded snapshots are snapshots too: they are checked the same way.
    """
    problems: list[Problem] = []
    months = month_folders(root)
    if month is not None:
        months = [m for m in months if m.name == month]
        if not months:
            problems.append(Problem("archive-month-missing", str(root / month), "", "",
                                    f"aucun comité n'est archivé pour le mois {month}"))
    checked: list[str] = []
    recomputed: list[Recomputed] = []
    pdfs: list[str] = []
    for folder in months:
        for snapshot in (folder, *superseded_folders(folder)):
            label = snapshot.relative_to(root).as_posix()
            checked.append(label)
            found, note = verify_snapshot(snapshot, label, is_month=snapshot == folder)
            problems.extend(found)
            if note is not None:
                recomputed.append(note)
            if _has_pdf(snapshot):
                pdfs.append(label)
    for leftover in staging_leftovers(root):
        if month is None or leftover.name.startswith(f".{month}."):
            problems.append(Problem(
                "archive-staging-left", leftover.name, "", "",
                "dossier temporaire laissé par une construction interrompue : il peut "
                "contenir un comité ; vérifiez son contenu avant de le déplacer"))
    return Verification(tuple(checked), tuple(problems), tuple(recomputed), tuple(pdfs))


def _has_pdf(folder: Path) -> bool:
    try:
        return PDF_KEY in read_manifest(folder)
    except (OSError, ValueError):
        return False


def verify_snapshot(folder: Path, label: str, is_month: bool,
                    ) -> tuple[list[Problem], Recomputed | None]:
    """The problems of one snapshot folder; ``is_month`` when it may hold superseded ones."""
    from .. import french

    place = f"{label}/{MANIFEST_NAME}"
    try:
        manifest = read_manifest(folder)
    except FileNotFoundError:
        return [Problem("archive-manifest-missing", place, "", "",
                        "fiche du comité (manifeste) absente : le contenu de ce comité ne "
                        "peut pas être vérifié")], None
    except ManifestError as error:
        return [Problem("archive-manifest-invalid", place, flaw.found, flaw.expected,
                        f"fiche du comité illisible : {flaw.sentence}")
                for flaw in error.flaws], None
    except OSError as error:
        from ..problems import os_error_text

        why = french.uncapitalised(os_error_text(error))
        return [Problem("archive-manifest-unreadable", place, "", "",
                        f"fiche du comité illisible : {why}")], None

    # The PDF is checked by its SHA-256 like the other files, never printed again: its
    # bytes depend on the LibreOffice that printed it.
    files = snapshot_files(manifest)
    problems = _check_files(folder, label, files, is_month)
    damaged = {p.place for p in problems}
    needed = [manifest["input"]["file"]]
    if "plan" in manifest:
        needed.append(manifest["plan"]["file"])
    if any(f"{label}/{name}" in damaged for name in needed):
        problems.append(Problem(
            "archive-rebuild-skipped", label, "", "",
            "reconstruction non tentée : le fichier de saisie ou le plan archivés sont "
            "absents ou modifiés"))
        return problems, None
    found, note = _check_rebuild(folder, label, manifest)
    return problems + found, note


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


def _check_rebuild(folder: Path, label: str, manifest: Mapping[str, Any],
                   ) -> tuple[list[Problem], Recomputed | None]:
    """Check the manifest against its seal and its plan file, then rebuild the month from
    its archived input and plan.

    Archived by this version: the workbook must come out byte for byte.
    Archived by another: the rules may have changed since, so the figures are
    recomputed and compared as information (``Recomputed``), never as a failure;
    an input the current rules no longer read is information too.
    """
    from ..compose import compose
    from ..loader import load_input
    from ..plan import read_plan

    problems = []
    if seal_intact(manifest) is False:
        problems.append(Problem(
            "archive-manifest-edited", f"{label}/{MANIFEST_NAME}", "", "",
            "la fiche du comité a été modifiée à la main depuis l'archivage (son sceau "
            "« seal » ne correspond plus à son contenu) : elle est exclue de l'historique des "
            "comités suivants"))
    version = str(manifest["tool_version"])
    same_version = version == __version__
    legacy = "plan" not in manifest
    if legacy and same_version:
        # This version always files its plan: the section was taken out of the manifest.
        return [*problems, _part_edited(label, "plan")], None
    try:
        if legacy:
            # Filed by 0.1.0: the month was built with the plan embedded in the tool.
            plan = read_plan()
            if manifest.get("definitions_sha256") != plan.source.sha256:
                return problems, Recomputed(label, version, (), legacy_plan=True,
                                            plan_known=False)
            plan_name = None
        else:
            plan = read_plan(folder / manifest["plan"]["file"])
            plan_name = str(manifest["plan"]["name"])
            if not _plan_section_matches(manifest, plan.source.sha256, plan_to_json(plan.plan)):
                problems.append(_part_edited(label, "plan"))
        source_info = manifest["input"]
        loaded = load_input(folder / source_info["file"], plan.plan,
                            plan_name or plan.source.file_name)
        composed = compose(
            plan, loaded, date.fromisoformat(manifest["report_date"]),
            float(manifest["tolerance_points"]), history_from_manifest(manifest),
            # The workbook names the input and the plan as they were called when built.
            input_name=source_info["name"], excluded=excluded_from_manifest(manifest),
            plan_name=plan_name,
            freshness_days=int(manifest.get("freshness_days", DEFAULT_FRESHNESS_DAYS)),
        )
        expected = manifest["files"][manifest["workbook"]]
    except InputError as error:
        if not same_version:
            return problems, Recomputed(label, version, (), legacy_plan=legacy,
                                        unreadable=error.problems)
        return [*problems, Problem("archive-rebuild-failed", label, "", "",
                                   "la saisie ou le plan archivés ne se relisent plus : "
                                   + " ; ".join(str(p) for p in error.problems))], None
    except (KeyError, TypeError, ValueError):
        # read_manifest checked the shape: this would be a value the builder refuses.
        return [*problems, Problem(
            "archive-manifest-unusable", f"{label}/{MANIFEST_NAME}", "", "",
            "fiche du comité inutilisable : le classeur n'a pas pu être reconstruit à "
            "partir de ses informations")], None

    if manifest.get("measurements") != measurements_json(loaded.data.measurements):
        # The rates read depend on the input alone, whatever the version's rules.
        problems.append(_part_edited(label, "measurements"))
    if not same_version:
        changes = figure_changes(manifest["summary"], summary_json(composed.report))
        return problems, Recomputed(label, version, changes, legacy_plan=legacy)
    if sha256_bytes(composed.workbook) != expected:
        return [*problems, Problem(
            "archive-rebuild-differs", label, "", "",
            "le classeur reconstruit à partir de la saisie et du plan archivés diffère du "
            "classeur archivé, avec la même version de l'outil : cause inconnue, à "
            "signaler à l'équipe qui maintient l'outil")], None
    if manifest.get("summary") != summary_json(composed.report):
        # The workbook reproduces: figures that differ were edited in the manifest.
        problems.append(_part_edited(label, "summary"))
    return problems, None


def _plan_section_matches(manifest: Mapping[str, Any], sha256: str,
                          read: Mapping[str, Any]) -> bool:
    """Whether the manifest's plan (what later committees take their revisions and
    initial targets from) is the archived plan file's."""
    section = manifest["plan"]
    return (section["sha256"] == sha256 == manifest.get("definitions_sha256")
            == manifest["files"].get(section["file"])
            and all(section.get(key) == value for key, value in read.items()))


def _part_edited(label: str, key: str) -> Problem:
    return Problem("archive-manifest-differs", f"{label}/{MANIFEST_NAME}", "", "",
                   f"la partie « {key} » du manifeste a été modifiée : elle ne correspond "
                   "plus aux fichiers archivés")


def figure_changes(presented: Mapping[str, Any], now: Mapping[str, Any],
                   ) -> tuple[FigureChange, ...]:
    """Every figure of a month's summary that the current rules compute differently."""
    changes = []
    current = {m["number"]: m for m in now["missions"]}
    for shown in presented["missions"]:
        number = shown["number"]
        again = current.get(number, {})
        for key in MISSION_FIGURES:
            if shown.get(key) != again.get(key):
                changes.append(FigureChange(number, key, shown.get(key), again.get(key)))
    for status in sorted(set(presented["status_counts"]) | set(now["status_counts"])):
        before, after = (presented["status_counts"].get(status, 0),
                         now["status_counts"].get(status, 0))
        if before != after:
            changes.append(FigureChange(None, f"count:{status}", before, after))
    if presented.get("average_actual") != now.get("average_actual"):
        changes.append(FigureChange(None, "average_actual", presented.get("average_actual"),
                                    now.get("average_actual")))
    return tuple(changes)
