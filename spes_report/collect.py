"""The pilots' return files (``collect prepare``): the plan's missions by pilot, a safe
file name for each pilot, the figures already known, each file written."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .loader import LoadedInput
from .model import Plan
from .writers.template import PilotReturn, TemplateExistsError, write_template

# Where the returns of a committee go: inputs/returns/<YYYY-MM>/<pilot>.xlsx
RETURNS_FOLDER = Path("inputs/returns")
# What Windows refuses in a file name (Linux refuses only "/" and NUL), and control
# characters: each becomes a dash.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# Names Windows keeps for devices, whatever the extension (CON.xlsx is a console).
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}
# Room left for the folder path under Windows' 260 characters.
_MAX_STEM = 80
# The stem of a pilot whose name leaves nothing once cleaned.
_FALLBACK_STEM = "pilote"


@dataclass(frozen=True)
class Pilot:
    """One pilot of the plan and the missions (plan numbers, in plan order) they report."""

    name: str
    email: str
    missions: tuple[int, ...]


@dataclass(frozen=True)
class ReturnFile:
    pilot: Pilot
    path: Path
    # The earlier file kept aside (--force), if there was one.
    backup: Path | None = None


class ReturnsExistError(Exception):
    """Pilots' files for this committee exist already and ``force`` was not given."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = tuple(paths)
        super().__init__(", ".join(str(p) for p in paths))


def pilots(plan: Plan) -> tuple[Pilot, ...]:
    """The plan's pilots, in the order of their first mission.

    Two spellings differing only in case or spaces (« Jeanne  Martin »,
    « jeanne martin ») are one pilot, named as first written; their email is
    the first one the plan gives among their missions.
    """
    found: dict[str, tuple[str, str, list[int]]] = {}
    for mission in plan.missions:
        name = " ".join(mission.pilot.split())
        if not name:
            continue
        key = name.casefold()
        first, email, numbers = found.setdefault(key, (name, "", []))
        numbers.append(mission.number)
        if not email and mission.pilot_email.strip():
            found[key] = (first, mission.pilot_email.strip(), numbers)
    return tuple(Pilot(name, email, tuple(numbers)) for name, email, numbers in found.values())


def unpiloted(plan: Plan) -> tuple[int, ...]:
    """The missions with no pilot: their figures stay in the input file."""
    return tuple(m.number for m in plan.missions if not m.pilot.strip())


def safe_stem(name: str) -> str:
    """A file name (without extension) for ``name`` on Windows and Linux alike.

    Accents are kept (composed, as Windows and Linux both store them);
    characters either system refuses become dashes, trailing dots and spaces
    (which Windows drops) go, and a device name (CON, NUL...) gets a dash.
    """
    stem = _FORBIDDEN.sub("-", unicodedata.normalize("NFC", name))
    stem = " ".join(stem.split())[:_MAX_STEM].rstrip(" .")
    stem = stem.lstrip(" .") or _FALLBACK_STEM
    if stem.split(".")[0].upper() in _RESERVED:
        stem += "-"
    return stem


def file_names(names: Sequence[str]) -> tuple[str, ...]:
    """``<stem>.xlsx`` for each name, two names never the same file even where case does not
    count (Windows): a later clash gets « (2) », « (3) »..."""
    taken: set[str] = set()
    result = []
    for name in names:
        stem = safe_stem(name)
        candidate, counter = stem, 1
        while candidate.casefold() in taken:
            counter += 1
            candidate = f"{stem} ({counter})"
        taken.add(candidate.casefold())
        result.append(f"{candidate}.xlsx")
    return tuple(result)


def draft_path(return_file: Path) -> Path:
    """``Jeanne Martin.eml`` beside ``Jeanne Martin.xlsx``: the message to the pilot."""
    return return_file.with_suffix(".eml")


def returns_folder(day: date, root: Path = RETURNS_FOLDER) -> Path:
    """``inputs/returns/2020-07``: the folder of the returns for the committee of ``day``."""
    return root / f"{day:%Y-%m}"


def known_rates(loaded: LoadedInput | None, day: date) -> dict[tuple[int, date], float]:
    """The rates of the input file dated before the committee of ``day``: what the
    committee already knows, shown locked in each return."""
    if loaded is None:
        return {}
    return {(m.mission, m.on): m.rate for m in loaded.data.measurements if m.on < day}


def planned_returns(plan: Plan, day: date, folder: Path) -> tuple[ReturnFile, ...]:
    """Each pilot with the path of their file in ``folder`` (nothing is written)."""
    found = pilots(plan)
    names = file_names([p.name for p in found])
    return tuple(ReturnFile(p, folder / name) for p, name in zip(found, names, strict=True))


def write_returns(plan: Plan, day: date, planned: Sequence[ReturnFile],
                  rates: Mapping[tuple[int, date], float], *,
                  force: bool = False, drafts: bool = False) -> tuple[ReturnFile, ...]:
    """Write each planned file; with ``force``, an existing one is first kept in a dated
    copy. Without it, ReturnsExistError names every file already there (their message
    drafts too, when ``drafts`` are to be written) and nothing is written."""
    paths = [p for r in planned for p in (r.path, *([draft_path(r.path)] if drafts else []))]
    existing = [path for path in paths if path.exists()]
    if existing and not force:
        raise ReturnsExistError(existing)
    written = []
    for planned_file in planned:
        mine = set(planned_file.pilot.missions)
        their_rates = {key: rate for key, rate in rates.items() if key[0] in mine}
        try:
            backup = write_template(
                planned_file.path, plan, force=force, committee_date=day, rates=their_rates,
                pilot_return=PilotReturn(planned_file.pilot.name, planned_file.pilot.missions),
            )
        except TemplateExistsError as error:  # made meanwhile, by someone else
            raise ReturnsExistError([error.path]) from error
        written.append(ReturnFile(planned_file.pilot, planned_file.path, backup))
    return tuple(written)
