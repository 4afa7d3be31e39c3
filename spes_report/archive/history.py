"""The committees archived before a date: the history a new build compares with.

A month is trusted only once checked: its files must match the SHA-256 of its
manifest and its manifest must match its seal (manifest.seal). A month that
fails is left out of the history and named (``excluded``), never used
silently: its figures would flow into the next committee's trend and
corrections.
"""

from __future__ import annotations

import dataclasses
import errno
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..model import ExcludedCommittee, Exclusion, PastCommittee, Plan
from .layout import misplaced, month_folders, month_name
from .manifest import (
    committee_from_manifest,
    read_manifest,
    seal_intact,
    sha256_file,
    snapshot_files,
)


@dataclass(frozen=True)
class ExcludedMonth:
    """An archived month left out of the history, and why."""

    folder: Path
    reason: Exclusion
    # Why the manifest could not be read (UNREADABLE).
    error: Exception | None = None

    @property
    def committee(self) -> ExcludedCommittee:
        return ExcludedCommittee(self.folder.name, self.reason)


@dataclass(frozen=True)
class History:
    committees: tuple[PastCommittee, ...]
    excluded: tuple[ExcludedMonth, ...] = ()


def load_history(root: Path, report_date: date) -> History:
    """The committees archived for months before ``report_date``'s, oldest first.

    A month whose manifest cannot be read, or that was changed since it was
    filed, is left out (``excluded``): a damaged old snapshot must not stop
    this month's committee, nor lend it false figures (``archive verify``
    reports it in full). Call it holding the outputs lock.
    """
    committees, excluded = [], []
    current = month_name(report_date)
    for path in misplaced(root):
        if path != root and path.name < current:
            excluded.append(ExcludedMonth(path, Exclusion.UNREADABLE, NotADirectoryError(
                errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))))
    for folder in month_folders(root):
        if folder.name >= current:
            continue
        read = read_committee(folder)
        if isinstance(read, ExcludedMonth):
            excluded.append(read)
            continue
        manifest, committee = read
        if committee.report_date >= report_date:
            continue
        if not trustworthy(folder, manifest, committee):
            excluded.append(ExcludedMonth(folder, Exclusion.EDITED))
            continue
        committees.append(committee)
    return History(tuple(sorted(committees, key=lambda c: c.report_date)),
                   tuple(sorted(excluded, key=lambda e: e.folder.name)))


def read_committee(folder: Path) -> tuple[dict[str, Any], PastCommittee] | ExcludedMonth:
    """The month's manifest and the committee it records (with its plan, the embedded
    one for a month filed by 0.1.0), or the exclusion saying why it cannot be read.
    Whether it can be trusted is ``trustworthy``'s to say."""
    try:
        manifest = read_manifest(folder)
        committee = committee_from_manifest(manifest)
    except (OSError, ValueError, KeyError, TypeError) as error:
        return ExcludedMonth(folder, Exclusion.UNREADABLE, error)
    if committee.plan is None:
        committee = dataclasses.replace(committee, plan=legacy_plan(manifest))
    return manifest, committee


def legacy_plan(manifest: Mapping[str, Any]) -> Plan | None:
    """The plan of a month filed by 0.1.0 (no plan in its folder): the plan embedded in
    the tool when its fingerprint is the one the month recorded, else unknown."""
    from ..plan import read_plan

    embedded = read_plan()
    return embedded.plan if manifest.get("definitions_sha256") == embedded.source.sha256 else None


def trustworthy(folder: Path, manifest: Mapping[str, Any], committee: PastCommittee) -> bool:
    """Whether the month is as it was filed: its files by their SHA-256, its manifest by its
    seal; a manifest filed before seals existed (0.1.0), by its figures against its input."""
    for name, expected in snapshot_files(manifest).items():
        path = folder / name
        if not path.is_file() or sha256_file(path) != expected:
            return False
    intact = seal_intact(manifest)
    if intact is not None:
        return intact
    return _figures_match_input(folder, manifest, committee)


def _figures_match_input(folder: Path, manifest: Mapping[str, Any],
                         committee: PastCommittee) -> bool:
    """The figures a later build takes from the month, recomputed from its archived input.

    What the history uses (every rate read, the actual shown per mission, the
    average) depends on the input alone, not on the rules of the version that
    built the month, so an upgrade never makes a month look edited. Reading
    the input needs the mission plan it was read with: once they have
    changed, the month cannot be rechecked this way and its files' hashes,
    checked already, are all there is to go by.
    """
    from ..builder import build_report
    from ..loader import load_input
    from ..problems import InputError
    from .manifest import measurements_json, summary_json

    plan = committee.plan
    if plan is None:
        return True
    try:
        loaded = load_input(folder / manifest["input"]["file"], plan)
    except (InputError, OSError):
        return False
    # The committee as the manifest would record it now, through the same functions.
    report = build_report(plan, loaded.data, committee.report_date,
                          float(manifest["tolerance_points"]))
    recomputed = committee_from_manifest({
        **manifest, "summary": summary_json(report),
        "measurements": measurements_json(loaded.data.measurements)})
    return dataclasses.replace(recomputed, plan=plan) == committee
