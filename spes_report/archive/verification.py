"""`archive verify`: every snapshot checked against its manifest and rebuilt.

Verifying a snapshot checks every SHA-256 of its manifest against the files,
reports files missing or added, and rebuilds its workbook in memory from the
archived input (with the archived date, tolerance and history), through the
same function as ``build``, to check that it comes out byte for byte the same.
The problems are Problems: data with a French message, like the input's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .. import __version__
from ..problems import InputError, Problem
from .layout import (
    MANIFEST_NAME,
    SUPERSEDED_PREFIX,
    month_folders,
    staging_leftovers,
    superseded_folders,
)
from .manifest import (
    excluded_from_manifest,
    history_from_manifest,
    measurements_json,
    plan_sha256,
    read_manifest,
    seal_intact,
    sha256_bytes,
    sha256_file,
    summary_json,
)
from .shape import ManifestError


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
    months = month_folders(root)
    if month is not None:
        months = [m for m in months if m.name == month]
        if not months:
            problems.append(Problem("archive-month-missing", str(root / month), "", "",
                                    f"aucun comité n'est archivé pour le mois {month}"))
    checked: list[str] = []
    for folder in months:
        for snapshot in (folder, *superseded_folders(folder)):
            label = snapshot.relative_to(root).as_posix()
            checked.append(label)
            problems.extend(verify_snapshot(snapshot, label, is_month=snapshot == folder))
    for leftover in staging_leftovers(root):
        if month is None or leftover.name.startswith(f".{month}."):
            problems.append(Problem(
                "archive-staging-left", leftover.name, "", "",
                "dossier temporaire laissé par une construction interrompue : il peut "
                "contenir un comité ; vérifiez son contenu avant de le déplacer"))
    return Verification(tuple(checked), tuple(problems))


def verify_snapshot(folder: Path, label: str, is_month: bool) -> list[Problem]:
    """The problems of one snapshot folder; ``is_month`` when it may hold superseded ones."""
    from .. import french

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
        from ..problems import os_error_text

        why = french.uncapitalised(os_error_text(error))
        return [Problem("archive-manifest-unreadable", place, "", "",
                        f"fiche du comité illisible : {why}")]

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
    from ..compose import compose
    from ..loader import load_input
    from ..plan import load_plan

    try:
        plan = load_plan()
        source_info = manifest["input"]
        loaded = load_input(folder / source_info["file"], plan)
        composed = compose(
            plan, loaded, date.fromisoformat(manifest["report_date"]),
            float(manifest["tolerance_points"]), history_from_manifest(manifest),
            # The workbook names the input as it was called when it was built.
            input_name=source_info["name"], excluded=excluded_from_manifest(manifest),
        )
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

    if sha256_bytes(composed.workbook) != expected:
        return [Problem(
            "archive-rebuild-differs", label, "", "",
            "le classeur reconstruit à partir de la saisie archivée diffère du classeur "
            f"archivé : {_likely_cause(manifest, plan_sha256(plan))}")]
    # The workbook reproduces: figures that differ were edited in the manifest.
    problems = []
    if seal_intact(manifest) is False:
        problems.append(Problem(
            "archive-manifest-edited", f"{label}/{MANIFEST_NAME}", "", "",
            "la fiche du comité a été modifiée à la main depuis l'archivage (son sceau "
            "« seal » ne correspond plus à son contenu) : elle est exclue de l'historique des "
            "comités suivants"))
    recomputed = {"summary": summary_json(composed.report),
                  "measurements": measurements_json(loaded.data.measurements)}
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
