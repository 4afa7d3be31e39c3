"""Checks that a committee's manifest has the shape this tool writes, and says what does not.

A manifest is a file on disk that anyone can edit: before any code reads
``manifest["summary"]["missions"]``, every key that code relies on is checked
here, so that a damaged manifest gives French sentences instead of a crash.
Hand-written rather than JSON Schema: jsonschema would add a tenth of a second
to every build's start and its messages are English, to be translated anyway.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import french
from ..problems import shown

# The manifest format this version writes and reads.
MANIFEST_FORMAT = 1
# Beyond this, a manifest is badly damaged: list the first flaws only.
MAX_FLAWS = 10


@dataclass(frozen=True)
class Flaw:
    """One thing wrong in a manifest: where (``summary, missions, n° 3, number``), what."""

    where: str
    what: str  # a predicate: "manque", "n'a pas la forme attendue"…
    found: str = ""
    expected: str = ""

    @property
    def sentence(self) -> str:
        return f"« {self.where} » {self.what}" if self.where else f"le fichier {self.what}"

    def __str__(self) -> str:
        text = self.sentence
        if self.found:
            text += f" (valeur trouvée : {self.found}"
            text += f" ; attendu : {self.expected})" if self.expected else ")"
        elif self.expected:
            text += f" (attendu : {self.expected})"
        return text


class ManifestError(ValueError):
    """A manifest that cannot be used; ``flaws`` say why, str() is French."""

    def __init__(self, flaws: list[Flaw]) -> None:
        self.flaws = tuple(flaws)
        super().__init__(" ; ".join(str(f) for f in self.flaws))


# A check looks at a value found at ``where`` and adds the flaws it finds.
Check = Callable[[Any, str, list[Flaw]], None]


def _kind(value: Any) -> str:
    """The French name of a JSON value's type, as a user would see it in the file."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "un nombre"
    if isinstance(value, str):
        return "un texte"
    if isinstance(value, list):
        return "une liste [ … ]"
    return "une section { … }"


def _found(value: Any) -> str:
    if isinstance(value, dict | list):
        return _kind(value)
    return shown(value if isinstance(value, str) else _json_text(value))


def _json_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _wrong(where: str, value: Any, expected: str, flaws: list[Flaw]) -> None:
    flaws.append(Flaw(where, "n'a pas la forme attendue", _found(value), expected))


def _join(where: str, key: str) -> str:
    return f"{where}, {key}" if where else key


def text(value: Any, where: str, flaws: list[Flaw]) -> None:
    if not isinstance(value, str):
        _wrong(where, value, "un texte", flaws)


def number(value: Any, where: str, flaws: list[Flaw]) -> None:
    # bool is an int in Python but not a figure; NaN and 1e999 are not either.
    if isinstance(value, bool) or not isinstance(value, int | float) or not _finite(value):
        _wrong(where, value, "un nombre", flaws)


def _finite(value: int | float) -> bool:
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def tolerance(value: Any, where: str, flaws: list[Flaw]) -> None:
    """Points, within the range the command accepts."""
    if (isinstance(value, bool) or not isinstance(value, int | float) or not _finite(value)
            or not 0 <= value <= 100):
        _wrong(where, value, "un nombre de points entre 0 et 100", flaws)


def integer(value: Any, where: str, flaws: list[Flaw]) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        _wrong(where, value, "un nombre entier", flaws)


def day(value: Any, where: str, flaws: list[Flaw]) -> None:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        _wrong(where, value, "une date AAAA-MM-JJ", flaws)


def sha256(value: Any, where: str, flaws: list[Flaw]) -> None:
    if not (isinstance(value, str) and len(value) == 64
            and all(c in "0123456789abcdef" for c in value)):
        _wrong(where, value, "une empreinte SHA-256 (64 caractères 0-9 a-f)", flaws)


def file_name(value: Any, where: str, flaws: list[Flaw]) -> None:
    """A file of the snapshot's own folder: never a path that leads elsewhere."""
    if not (isinstance(value, str) and value not in ("", ".", "..")
            and not any(c in value for c in "/\\\0")):
        _wrong(where, value, "un nom de fichier du dossier du comité", flaws)


def exclusion(value: Any, where: str, flaws: list[Flaw]) -> None:
    if value not in ("edited", "unreadable"):
        _wrong(where, value, "« edited » ou « unreadable »", flaws)


def nullable(check: Check) -> Check:
    def check_nullable(value: Any, where: str, flaws: list[Flaw]) -> None:
        if value is not None:
            check(value, where, flaws)
    return check_nullable


def section(required: Mapping[str, Check],
            optional: Mapping[str, Check] | None = None) -> Check:
    """A JSON object with these keys (others are allowed: later events, future fields)."""
    def check_section(value: Any, where: str, flaws: list[Flaw]) -> None:
        if not isinstance(value, dict):
            _wrong(where, value, "une section { … }", flaws)
            return
        for key, check in required.items():
            if key not in value:
                flaws.append(Flaw(_join(where, key), "manque"))
            else:
                check(value[key], _join(where, key), flaws)
        for key, check in (optional or {}).items():
            if key in value:
                check(value[key], _join(where, key), flaws)
    return check_section


def listing(item: Check) -> Check:
    def check_listing(value: Any, where: str, flaws: list[Flaw]) -> None:
        if not isinstance(value, list):
            _wrong(where, value, "une liste [ … ]", flaws)
            return
        for index, element in enumerate(value, start=1):
            item(element, _join(where, f"n° {index}"), flaws)
    return check_listing


def table(key: Check, item: Check) -> Check:
    """A JSON object used as a table: any keys, each checked, with their values."""
    def check_table(value: Any, where: str, flaws: list[Flaw]) -> None:
        if not isinstance(value, dict):
            _wrong(where, value, "une section { … }", flaws)
            return
        for name, element in value.items():
            found: list[Flaw] = []
            key(name, where, found)
            if found:
                flaws.extend(found)
            else:
                item(element, _join(where, name), flaws)
    return check_table


PLAN_FIELDS: dict[str, Check] = {
    "service": text,
    "title": text,
    "missions": listing(section({
        "number": integer,
        "title": text,
        "milestones": listing(section({"due": day, "target": number})),
    })),
}
PLAN = section(PLAN_FIELDS)
MEASUREMENT = section({"mission": integer, "date": day, "rate": number})
PAST_COMMITTEE = section({
    "report_date": day,
    "actuals": listing(section({"mission": integer, "actual": nullable(number)})),
    "average_actual": nullable(number),
    "measurements": listing(MEASUREMENT),
}, {"plan": PLAN,
    "projections": listing(section({"mission": integer, "due": day, "rate": number}))})
PROJECTION = section({
    "mission": integer,
    "trajectory": text,
    "at": listing(section({"due": day, "rate": number})),
}, {"pace_points": nullable(number), "needed_points": nullable(number)})
SUMMARY = section({
    "missions": listing(section({"number": integer, "actual": nullable(number)})),
    "status_counts": table(text, integer),
    "average_actual": nullable(number),
})
MANIFEST = section(
    {
        "format": integer,
        "report_date": day,
        "tool_version": text,
        "tolerance_points": tolerance,
        "input": section({"name": text, "file": file_name, "sha256": sha256}),
        "definitions_sha256": text,
        "workbook": file_name,
        "files": table(file_name, sha256),
        "summary": SUMMARY,
        "measurements": listing(MEASUREMENT),
        "history": listing(PAST_COMMITTEE),
    },
    # Added after filing: the sendings of the month's message.
    {"built_at": text, "envois": listing(section({})), "seal": sha256,
     # Since 0.2.0: the plan the month was built with (0.1.0 used the embedded one).
     "plan": section({"name": text, "file": file_name, "sha256": sha256, **PLAN_FIELDS}),
     # Since 0.2.0: how old a rate may be before it is « non actualisé ».
     "freshness_days": integer,
     # Since 0.3.0: the projections shown, for the forecasts' track record.
     "projections": listing(PROJECTION),
     "excluded": listing(section({"month": text, "reason": exclusion})),
     # Since 0.3.0: the workbook printed to PDF (build --pdf), added after filing.
     "pdf": section({"file": file_name, "sha256": sha256, "workbook_sha256": sha256},
                    {"made_with": text, "made_at": text, "pages": integer})},
)


def manifest_flaws(manifest: Any) -> list[Flaw]:
    """Everything that stops this tool from reading ``manifest`` (parsed JSON)."""
    flaws: list[Flaw] = []
    if isinstance(manifest, dict) and isinstance(manifest.get("format"), int) and not isinstance(
            manifest["format"], bool) and manifest["format"] > MANIFEST_FORMAT:
        return [Flaw("format", "indique une fiche écrite par une version plus récente de "
                     "l'outil", str(manifest["format"]), f"le format {MANIFEST_FORMAT}")]
    MANIFEST(manifest, "", flaws)
    if flaws:
        return flaws
    if manifest["format"] != MANIFEST_FORMAT:
        flaws.append(Flaw("format", "indique un format de fiche inconnu",
                          str(manifest["format"]), f"le format {MANIFEST_FORMAT}"))
    # The two files every snapshot holds must have a fingerprint to check.
    files = manifest["files"]
    named = [("workbook", manifest["workbook"]), ("input, file", manifest["input"]["file"])]
    if "plan" in manifest:
        named.append(("plan, file", manifest["plan"]["file"]))
    for where, name in named:
        if name not in files:
            flaws.append(Flaw(where, "nomme un fichier absent de la liste « files »",
                              shown(name)))
    pdf = manifest.get("pdf")
    if pdf is not None and (pdf["file"] in files or pdf["file"] == "manifest.json"):
        flaws.append(Flaw("pdf, file", "nomme un fichier déjà décrit par ailleurs",
                          shown(pdf["file"]), "le nom du PDF du classeur"))
    return flaws


def check_manifest(manifest: Any) -> dict[str, Any]:
    """``manifest`` itself when it has the expected shape; raises ManifestError."""
    flaws = manifest_flaws(manifest)
    if flaws:
        raise ManifestError(flaws[:MAX_FLAWS] + _more(len(flaws)))
    result: dict[str, Any] = manifest
    return result


def _more(count: int) -> list[Flaw]:
    if count <= MAX_FLAWS:
        return []
    more = french.count(count - MAX_FLAWS, "autre défaut", "autres défauts")
    return [Flaw("", f"a encore {more}")]
