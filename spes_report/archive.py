"""Monthly snapshots under outputs/archive/<YYYY-MM>/: what each committee was told.

A snapshot is the input as read, the workbook and ``manifest.json`` (hashes,
summary figures, every rate read, and the history the workbook was built
with, so that it can be rebuilt on its own). Snapshots are filed whole: built
in a hidden folder of the archive and renamed into place.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .files import write_atomically
from .locking import exclusive, lock_path
from .manifest_shape import MANIFEST_FORMAT, Flaw, ManifestError, check_manifest
from .model import Definitions, Measurement, PastCommittee, Report
from .problems import os_error_text

MANIFEST_NAME = "manifest.json"
ARCHIVE_DIR = "archive"
SUPERSEDED_PREFIX = "superseded-"
# A snapshot being filed lives in <root>/.<YYYY-MM>.en-cours-<random>/.
STAGING_MARK = ".en-cours-"
MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# The manifest keys that describe the snapshot itself. Other keys are events
# recorded later (e.g. "envois", the sendings) and the build time: they do not
# make two snapshots different.
CONTENT_KEYS = ("format", "report_date", "tool_version", "tolerance_points", "input",
                "definitions_sha256", "workbook", "files", "summary", "measurements",
                "history")


def archive_root(output_dir: Path) -> Path:
    """Where the snapshots of builds written to ``output_dir`` live."""
    return Path(output_dir) / ARCHIVE_DIR


def month_folder(archive_root: Path, report_date: date) -> Path:
    """The folder of the committee held on ``report_date``: ``<root>/2020-06``."""
    return archive_root / f"{report_date:%Y-%m}"


def read_manifest(folder: Path) -> dict[str, Any]:
    """The month's manifest, checked to have the shape this tool writes.

    Raises OSError when the file cannot be read, ManifestError (a ValueError,
    with French text) when it is not JSON or not a manifest.
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


def write_manifest(folder: Path, manifest: Mapping[str, Any]) -> None:
    """Replace ``manifest.json`` atomically: a reader sees the old or the new, never half."""
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_atomically(folder / MANIFEST_NAME, text.encode("utf-8"))


class NotRecordedError(Exception):
    """The month's manifest is not the one an event belongs to; str() is French."""


@contextlib.contextmanager
def month_lock(folder: Path) -> Iterator[None]:
    """One change at a time to a month of the archive (``archive/.2020-06.lock``).

    Filing a snapshot and noting a sending both read the month's folder and
    then change it: without the lock, one could undo the other.
    """
    def busy(path: Path, seconds: float) -> str:
        return (f"Le mois {folder.name} de l'archive est en cours de modification par une "
                f"autre commande (verrou {path}), qui ne s'est pas terminée en "
                f"{seconds:.0f} secondes : attendez qu'elle finisse, puis relancez la "
                "commande.")

    with exclusive(lock_path(folder), busy):
        yield


def append_to_manifest(folder: Path, section: str, entry: Mapping[str, Any],
                       check: Callable[[Mapping[str, Any]], str | None] | None = None,
                       ) -> None:
    """Add ``entry`` to the list ``section`` of the month's manifest (e.g. a sending).

    ``check`` sees the manifest under the month's lock and returns why the
    entry does not belong there (NotRecordedError, nothing written) or None.
    """
    with month_lock(folder):
        manifest = read_manifest(folder)
        refusal = check(manifest) if check is not None else None
        if refusal is not None:
            raise NotRecordedError(refusal)
        entries = manifest.setdefault(section, [])
        if not isinstance(entries, list):
            raise ManifestError([Flaw(section, "n'a pas la forme attendue", "",
                                      "une liste [ … ]")])
        entries.append(dict(entry))
        write_manifest(folder, manifest)


def sha256_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def definitions_sha256(definitions: Definitions) -> str:
    """The SHA-256 of the embedded missions file when ``definitions`` are the
    embedded ones; otherwise of a canonical JSON form of ``definitions``."""
    from .definitions import embedded_definitions_bytes, load_definitions

    if definitions == load_definitions():
        return sha256_bytes(embedded_definitions_bytes())
    canonical = json.dumps(dataclasses.asdict(definitions), ensure_ascii=False,
                           sort_keys=True, default=str)
    return sha256_bytes(canonical.encode("utf-8"))


# --- the manifest's JSON forms ------------------------------------------------------

def measurement_to_json(m: Measurement) -> dict[str, Any]:
    return {"mission": m.mission, "date": m.on.isoformat(), "rate": m.rate}


def measurement_from_json(data: Mapping[str, Any]) -> Measurement:
    return Measurement(int(data["mission"]), date.fromisoformat(data["date"]),
                       float(data["rate"]))


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def committee_to_json(committee: PastCommittee) -> dict[str, Any]:
    return {
        "report_date": committee.report_date.isoformat(),
        "actuals": [{"mission": n, "actual": a} for n, a in committee.actuals],
        "average_actual": committee.average_actual,
        "measurements": [measurement_to_json(m) for m in committee.measurements],
    }


def committee_from_json(data: Mapping[str, Any]) -> PastCommittee:
    return PastCommittee(
        report_date=date.fromisoformat(data["report_date"]),
        actuals=tuple((int(a["mission"]), _optional_float(a["actual"]))
                      for a in data["actuals"]),
        average_actual=_optional_float(data["average_actual"]),
        measurements=tuple(measurement_from_json(m) for m in data["measurements"]),
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
    )


def history_from_manifest(manifest: Mapping[str, Any]) -> tuple[PastCommittee, ...]:
    """The earlier committees a snapshot's workbook was built with."""
    return tuple(committee_from_json(c) for c in manifest.get("history", []))


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


def make_manifest(report: Report, *, measurements: Iterable[Measurement], input_name: str,
                  input_file: str, input_sha256: str, workbook: str,
                  files: Mapping[str, str], definitions_sha256: str,
                  built_at: datetime) -> dict[str, Any]:
    """The manifest of a snapshot; ``files`` maps each file name to its SHA-256."""
    return {
        "format": MANIFEST_FORMAT,
        "report_date": report.report_date.isoformat(),
        "built_at": built_at.isoformat(timespec="seconds"),
        "tool_version": report.tool_version,
        "tolerance_points": report.tolerance_points,
        "input": {"name": input_name, "file": input_file, "sha256": input_sha256},
        "definitions_sha256": definitions_sha256,
        "workbook": workbook,
        "files": dict(sorted(files.items())),
        "summary": summary_json(report),
        "measurements": [measurement_to_json(m) for m in
                         sorted(measurements, key=lambda m: (m.mission, m.on))],
        "history": [committee_to_json(c) for c in report.history],
    }


def content_of(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """What makes two snapshots the same: all but the build time and later events."""
    return {key: manifest.get(key) for key in CONTENT_KEYS}


# --- history for the next build -----------------------------------------------------

@dataclass(frozen=True)
class History:
    committees: tuple[PastCommittee, ...]
    # French sentences about archived months that could not be read.
    warnings: tuple[str, ...] = ()


def month_folders(root: Path) -> list[Path]:
    """The archived months, oldest first."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and MONTH_PATTERN.match(p.name))


def load_history(root: Path, report_date: date) -> History:
    """The committees archived for months before ``report_date``'s, oldest first.

    A month whose manifest cannot be read is left out with a warning: a damaged
    old snapshot must not stop this month's committee (``archive verify``
    reports it in full).
    """
    committees, warnings = [], []
    current = f"{report_date:%Y-%m}"
    for folder in month_folders(root):
        if folder.name >= current:
            continue
        try:
            committee = committee_from_manifest(read_manifest(folder))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            warnings.append(f"le comité archivé dans {folder} est ignoré dans l'historique : "
                            f"sa fiche ({MANIFEST_NAME}) est illisible : {reason(exc)}.")
            continue
        if committee.report_date < report_date:
            committees.append(committee)
    return History(tuple(sorted(committees, key=lambda c: c.report_date)), tuple(warnings))


def reason(exc: BaseException, brief: bool = False) -> str:
    """Why a manifest could not be read, in French; ``brief``: its first flaw only."""
    if isinstance(exc, ManifestError):
        if brief and len(exc.flaws) > 1:
            more = len(exc.flaws) - 1
            return (f"{exc.flaws[0]}, et {more} autre{'s' if more > 1 else ''} "
                    f"défaut{'s' if more > 1 else ''}")
        return str(exc)
    if isinstance(exc, FileNotFoundError):
        return "fichier absent"
    if isinstance(exc, OSError):
        # "Erreur d'accès au fichier … : accès refusé…", inside a sentence here.
        text = os_error_text(exc)
        return text[:1].lower() + text[1:]
    if isinstance(exc, KeyError):
        return f"information manquante : {exc.args[0]}"
    return str(exc) or type(exc).__name__


# --- filing a snapshot --------------------------------------------------------------

class AlreadyArchivedError(Exception):
    """The month is archived already with a different content; nothing was written.

    str() is French and names what differs (``differences``), or why the
    archived manifest could not be compared (``unreadable``).
    """

    def __init__(self, folder: Path, archived: Mapping[str, Any] | None,
                 unreadable: str | None, new: Mapping[str, Any]) -> None:
        from .archive_diff import Differences, differences

        self.folder = folder
        self.unreadable = unreadable
        self.differences = (differences(archived, new) if archived is not None
                            else Differences((), history=False))
        keep = f"l'ancienne version sera conservée dans un dossier {SUPERSEDED_PREFIX}<horodatage>"
        if archived is None:
            super().__init__(
                f"Le mois {folder.name} est déjà archivé (dans {folder}), mais sa fiche "
                f"({MANIFEST_NAME}) est illisible : {unreadable}. Rien n'a été écrit. "
                f"Vérifiez ce mois avec « spes-report archive verify {folder.name} » ; pour "
                f"archiver la nouvelle version, relancez avec --replace : {keep}.")
            return
        lines = [
            f"Le mois {folder.name} est déjà archivé (le comité du "
            f"{_long_date(date.fromisoformat(archived['report_date']))}, dans {folder}) et le "
            f"nouveau classeur du {_long_date(date.fromisoformat(new['report_date']))} en "
            "diffère :",
            *(f"  - {item} ;" for item in self.differences.items),
        ]
        lines[-1] = lines[-1].removesuffix(" ;") + "."
        if self.differences.history:
            lines.append(
                "Rien n'a été écrit. Un mois précédent a été remplacé depuis l'archivage de "
                "celui-ci : son classeur ne peut plus être reconstruit à l'identique. Pour "
                f"l'archiver avec l'historique à jour, relancez avec --replace : {keep}.")
        else:
            lines.append("Rien n'a été écrit. Pour archiver la nouvelle version, relancez "
                         f"avec --replace : {keep}.")
        super().__init__("\n".join(lines))


def _long_date(day: date) -> str:
    from .french import long_date as french_long_date

    return french_long_date(day)


class Outcome(enum.Enum):
    NEW = "new"
    # The month held the very same snapshot (build time aside): nothing filed.
    IDENTICAL = "identical"
    REPLACED = "replaced"


@dataclass(frozen=True)
class Filing:
    folder: Path
    outcome: Outcome
    # Where the earlier snapshot went, after a --replace.
    superseded: Path | None = None


@dataclass(frozen=True)
class Snapshot:
    """The files of one build, ready to be filed."""

    report: Report
    measurements: tuple[Measurement, ...]
    input_name: str
    input_content: bytes
    workbook_name: str
    workbook_content: bytes
    definitions_sha256: str


def stored_input_name(input_name: str, workbook_name: str) -> str:
    """The input keeps its name in the snapshot unless another file has it."""
    if input_name in (workbook_name, MANIFEST_NAME) or input_name.startswith(
            (SUPERSEDED_PREFIX, ".")):
        return f"saisie-{input_name.lstrip('.')}"
    return input_name


def file_snapshot(root: Path, snapshot: Snapshot, built_at: datetime,
                  replace: bool = False) -> Filing:
    """File ``snapshot`` as its month's folder; the archive is never left half-written.

    Raises AlreadyArchivedError when the month holds a different snapshot and
    ``replace`` is false. With ``replace`` the earlier snapshot moves to
    ``<month>/superseded-<time>/`` (with the ones it had replaced before).
    The month's lock is held from the comparison to the last rename, so that
    a sending noted meanwhile is never lost nor noted in the wrong snapshot.
    """
    report = snapshot.report
    final = month_folder(root, report.report_date)
    root.mkdir(parents=True, exist_ok=True)
    # mkdir (not mkdtemp) so that the folder gets the usual permissions, not private ones.
    staging = root / f".{final.name}{STAGING_MARK}{os.urandom(4).hex()}"
    staging.mkdir()
    with contextlib.ExitStack() as held:
        try:
            # Through JSON, as it will be read back (tuples become lists).
            manifest = json.loads(json.dumps(_write_snapshot(staging, snapshot, built_at)))
            held.enter_context(month_lock(final))
            if not final.exists():
                _rename_new(staging, final, manifest)
                return Filing(final, Outcome.NEW)
            previous, unreadable = _manifest_or_reason(final)
            if previous is not None and content_of(previous) == content_of(manifest):
                shutil.rmtree(staging)
                return Filing(final, Outcome.IDENTICAL)
            if not replace:
                raise AlreadyArchivedError(final, previous, unreadable, manifest)
        except BaseException:
            # The staging folder holds nothing but the new snapshot here.
            shutil.rmtree(staging, ignore_errors=True)
            raise
        # Outside the clean-up above: if a step of the replacement fails and cannot
        # be undone, the staging folder holds the earlier snapshot and must stay.
        return Filing(final, Outcome.REPLACED, _supersede(final, staging, built_at))


def _rename_new(staging: Path, final: Path, manifest: Mapping[str, Any]) -> None:
    try:
        os.rename(staging, final)
    except OSError:
        if final.exists():  # filed meanwhile by a process that ignored the lock
            previous, unreadable = _manifest_or_reason(final)
            raise AlreadyArchivedError(final, previous, unreadable, manifest) from None
        raise


def _write_snapshot(folder: Path, snapshot: Snapshot, built_at: datetime) -> dict[str, Any]:
    input_file = stored_input_name(snapshot.input_name, snapshot.workbook_name)
    contents = {input_file: snapshot.input_content,
                snapshot.workbook_name: snapshot.workbook_content}
    for name, content in contents.items():
        _write_new(folder / name, content)
    manifest = make_manifest(
        snapshot.report, measurements=snapshot.measurements, input_name=snapshot.input_name,
        input_file=input_file, input_sha256=sha256_bytes(snapshot.input_content),
        workbook=snapshot.workbook_name,
        files={name: sha256_bytes(content) for name, content in contents.items()},
        definitions_sha256=snapshot.definitions_sha256, built_at=built_at,
    )
    write_manifest(folder, manifest)
    return manifest


def _write_new(path: Path, content: bytes) -> None:
    with path.open("xb") as stream:
        stream.write(content)
        stream.flush()
        os.fsync(stream.fileno())


def _manifest_or_reason(folder: Path, brief: bool = False,
                        ) -> tuple[dict[str, Any] | None, str | None]:
    """The folder's manifest, or None and why it cannot be read (French)."""
    try:
        return read_manifest(folder), None
    except (OSError, ValueError) as exc:
        return None, reason(exc, brief)


def _supersede(final: Path, staging: Path, built_at: datetime) -> Path:
    """Put the staged snapshot in ``final``'s place, keeping the old one inside it.

    Every step is a rename within the archive, so each file is always in
    exactly one place. If a step fails, the steps done are undone; should even
    that fail (or the process stop between two renames), what was moved is in
    the staging folder, which ``archive verify`` reports: nothing is lost.
    """
    stamp = f"{SUPERSEDED_PREFIX}{built_at:%Y-%m-%d-%H%M%S}"
    name, counter = stamp, 1
    while (final / name).exists() or (staging / name).exists():
        counter += 1
        name = f"{stamp}-{counter}"
    moves = [(older, staging / older.name)
             for older in sorted(final.glob(SUPERSEDED_PREFIX + "*"))]
    moves += [(final, staging / name), (staging, final)]
    done: list[tuple[Path, Path]] = []
    try:
        for source, target in moves:
            os.rename(source, target)
            done.append((source, target))
    except BaseException:
        if _undo(done):
            # Everything is back: the staging folder holds only the new snapshot.
            shutil.rmtree(staging, ignore_errors=True)
        raise
    return final / name


def _undo(renames: list[tuple[Path, Path]]) -> bool:
    """Rename back, latest first; False (and stop) at the first that fails."""
    for source, target in reversed(renames):
        try:
            os.rename(target, source)
        except OSError:
            return False
    return True


# --- reading the archive ------------------------------------------------------------

@dataclass(frozen=True)
class ArchivedMonth:
    """One month's folder as found on disk."""

    folder: Path
    manifest: dict[str, Any] | None
    # Why the manifest could not be read, in French (its first flaw).
    error: str | None
    superseded: tuple[Path, ...]


def archived_months(root: Path) -> list[ArchivedMonth]:
    months = []
    for folder in month_folders(root):
        manifest, error = _manifest_or_reason(folder, brief=True)
        superseded = tuple(sorted(p for p in folder.glob(SUPERSEDED_PREFIX + "*")
                                  if p.is_dir()))
        months.append(ArchivedMonth(folder, manifest, error, superseded))
    return months


def staging_leftovers(root: Path) -> list[Path]:
    """Staging folders left by a build that was interrupted."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.name.startswith(".") and STAGING_MARK in p.name)


def filing_line(filing: Filing) -> str:
    """What `build` says about the month's snapshot."""
    if filing.outcome is Outcome.IDENTICAL:
        return (f"Comité déjà archivé à l'identique dans {filing.folder} : "
                "rien de nouveau à archiver.")
    if filing.outcome is Outcome.REPLACED:
        return (f"Comité archivé : {filing.folder} (la version précédente est conservée "
                f"dans {filing.superseded})")
    return f"Comité archivé : {filing.folder}"
