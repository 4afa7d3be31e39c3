"""Monthly snapshots under outputs/archive/<YYYY-MM>/: what each committee was told."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

MANIFEST_NAME = "manifest.json"


def month_folder(archive_root: Path, report_date: date) -> Path:
    """The folder of the committee held on ``report_date``: ``<root>/2020-06``."""
    return archive_root / f"{report_date:%Y-%m}"


def read_manifest(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    return data


def write_manifest(folder: Path, manifest: Mapping[str, Any]) -> None:
    """Replace ``manifest.json`` atomically: a reader sees the old or the new, never half."""
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    fd, name = tempfile.mkstemp(dir=folder, prefix=".manifest.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(name, folder / MANIFEST_NAME)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def append_to_manifest(folder: Path, section: str, entry: Mapping[str, Any]) -> None:
    """Add ``entry`` to the list ``section`` of the month's manifest (e.g. a sending)."""
    manifest = read_manifest(folder)
    manifest.setdefault(section, []).append(dict(entry))
    write_manifest(folder, manifest)
