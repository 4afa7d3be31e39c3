"""The package's layers: data flows one way, and no lower layer imports a higher one.

input -> builder -> writers -> archive -> mailing -> command line. Every import
counts, those made inside a function too (they are still dependencies).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

PACKAGE = ROOT / "spes_report"

# Lower numbers are lower layers; a module may import its own layer and below.
LAYERS = {
    # Plain data, problems, French, what people type, file names: used everywhere.
    "model": 0, "problems": 0, "french": 0, "parsing": 0, "naming": 0,
    # The business rules (pure).
    "builder": 1, "history": 1, "projection": 1,
    # Reading the user's files, the configuration, safe writes and locks.
    "plan": 2, "loader": 2, "filekind": 2, "safety": 2, "config": 2,
    # Changing files durably, all or nothing, one command at a time.
    "durable": 2, "files": 2, "journal": 2, "locking": 2,
    # The workbook and input template writers (xlsxwriter); the workbook printed to PDF
    # (LibreOffice).
    "writers": 3, "pdf": 3,
    # The pilots' return files: the input read, the template written for each pilot.
    "collect": 3,
    # Report + workbook from an input: shared by build and archive verify.
    "compose": 4,
    "archive": 5,
    "mailing": 6,
    # The build job: archive, then the workbook in place.
    "pipeline": 7,
    "cli": 8,
    # The console script: Ctrl+C caught before the command line is imported.
    "entry": 9,
}
# The package's front door (lazy public names) and `python -m`: above every layer.
EXEMPT = {"__init__", "__main__"}


def module_name(path: Path) -> str:
    """``archive.filing`` for spes_report/archive/filing.py; ``archive`` for its __init__."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


def imported(path: Path) -> set[str]:
    """The package modules ``path`` imports (relative imports resolved), as dotted names."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
                if node.module is None:  # from . import x, y
                    found.update(f"{target}.{a.name}".lstrip(".") for a in node.names)
                else:
                    found.add(target)
            elif node.module and node.module.startswith("spes_report"):
                found.add(node.module.removeprefix("spes_report").lstrip("."))
        elif isinstance(node, ast.Import):
            found.update(a.name.removeprefix("spes_report").lstrip(".")
                         for a in node.names if a.name.startswith("spes_report"))
    return {f for f in found if f}


def layer(name: str) -> int | None:
    return LAYERS.get(name.split(".")[0])


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if module_name(p) not in EXEMPT)


def test_every_module_has_a_layer() -> None:
    assert [module_name(p) for p in MODULES if layer(module_name(p)) is None] == []


def higher_layers(name: str, targets: set[str]) -> list[str]:
    """The modules among ``targets`` of a higher layer than ``name``'s (its own package aside)."""
    own = layer(name)
    assert own is not None
    return sorted(target for target in targets
                  if target.split(".")[0] != name.split(".")[0]
                  and (layer(target) or 0) > own)


@pytest.mark.parametrize("path", MODULES, ids=[module_name(p) for p in MODULES])
def test_no_module_imports_a_higher_layer(path: Path) -> None:
    name = module_name(path)
    assert higher_layers(name, imported(path)) == [], name


def test_only_the_command_line_imports_click() -> None:
    users = []
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            if any(n == "click" or n.startswith("click.") for n in names):
                users.append(module_name(path))
    assert users and all(name.startswith("cli") for name in users), users


def test_the_checker_sees_a_violation() -> None:
    """The layering check itself would catch a builder importing a writer, the archive
    importing the command line, the mailing package importing the build job."""
    assert higher_layers("builder", {"model", "writers.workbook"}) == ["writers.workbook"]
    assert higher_layers("archive.filing", {"archive.diff", "cli.messages"}) == ["cli.messages"]
    assert higher_layers("mailing.jobs", {"archive", "pipeline"}) == ["pipeline"]
    builder = imported(PACKAGE / "builder.py")
    assert "history" in builder and "model" in builder
    assert imported(PACKAGE / "archive" / "filing.py") >= {"archive.diff", "journal"}


def test_importing_the_builder_loads_no_higher_layer_nor_heavy_library() -> None:
    code = ("import sys, spes_report.builder\n"
            "print('\\n'.join(sorted(sys.modules)))")
    loaded = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                            text=True).stdout.split()
    unwanted = [m for m in loaded if m.split(".")[0] in ("click", "xlsxwriter", "openpyxl",
                                                          "jinja2")
                or m.startswith(("spes_report.writers", "spes_report.archive",
                                 "spes_report.mailing", "spes_report.cli"))]
    assert unwanted == []
    assert "spes_report.builder" in loaded
