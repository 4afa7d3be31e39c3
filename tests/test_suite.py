"""The test suite's own layout: files named after the modules they test, helpers defined once.

- test_<module>.py tests spes_report/<module>.py, test_<package>_<module>.py
  tests spes_report/<package>/<module>.py, test_<package>.py the package as a
  whole; a further _<word> says how (test_loader_fuzz, test_writers_libreoffice);
- test_scenario_<name>.py follows one scenario across modules;
- test_docs, test_layers and this file check the README, the package's layers
  and the suite itself.

Plain helpers are imported from the ``support`` package, fixtures come from
conftest.py: no test module imports another, and each helper or fixture has
one definition.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest
from support import ROOT

TESTS = ROOT / "tests"
PACKAGE = ROOT / "spes_report"
SOURCES = sorted(TESTS.rglob("*.py"))
TEST_FILES = sorted(TESTS.glob("test_*.py"))
ABOUT_THE_PROJECT = {"docs", "layers", "suite"}
# Helpers that exist once, in support/: the command line, the sample, the repository.
ONCE = {"run", "run_main", "SAMPLE", "ROOT"}


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def imported_modules(tree: ast.Module) -> set[str]:
    """Every module an import statement names, anywhere in the file."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def imported_test_modules(tree: ast.Module) -> list[str]:
    return sorted(name for name in imported_modules(tree)
                  if name.split(".")[0].startswith("test_") or name == "conftest")


def plan(tree: ast.Module) -> list[str]:
    """Names a file defines: functions and classes at any depth, and module-level constants."""
    names = [node.name for node in ast.walk(tree)
             if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
    for node in tree.body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        for target in targets:
            elements = target.elts if isinstance(target, ast.Tuple) else [target]
            names += [t.id for t in elements if isinstance(t, ast.Name)]
    return names


def is_fixture(node: ast.AST) -> bool:
    if not isinstance(node, ast.FunctionDef):
        return False
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr == "fixture":
            return True
    return False


def fixtures(tree: ast.Module) -> list[str]:
    return [node.name for node in tree.body if is_fixture(node)]


def package_modules() -> set[str]:
    """``writers_history`` for spes_report/writers/history.py, ``writers`` for the package."""
    names = set()
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and parts[-1] != "__main__":
            names.add("_".join(parts))
    return names


def names_a_module(stem: str, modules: set[str]) -> bool:
    subject = stem.removeprefix("test_")
    if subject in ABOUT_THE_PROJECT or subject.startswith("scenario_"):
        return True
    return any(subject == module or subject.startswith(module + "_") for module in modules)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(TESTS).as_posix())
def test_no_test_module_imports_another(path: Path) -> None:
    assert imported_test_modules(parsed(path)) == []


def test_the_import_check_sees_a_test_module_imported() -> None:
    tree = ast.parse("from test_cli import SAMPLE\nimport test_docs.x\nfrom conftest import out\n"
                     "from support import run\nfrom spes_report import tests_of\n")
    assert imported_test_modules(tree) == ["conftest", "test_cli", "test_docs.x"]


def test_the_shared_helpers_are_defined_once_in_support() -> None:
    where: dict[str, list[str]] = {name: [] for name in ONCE}
    for path in SOURCES:
        for name in plan(parsed(path)):
            if name in where:
                where[name].append(path.relative_to(TESTS).as_posix())
    assert where == {name: ["support/__init__.py"] for name in ONCE}


def test_the_definition_check_sees_a_second_sample() -> None:
    tree = ast.parse("ROOT, SAMPLE = 1, 2\nOTHER: int = 3\ndef f():\n    def run(): pass\n")
    assert sorted(plan(tree)) == ["OTHER", "ROOT", "SAMPLE", "f", "run"]


def test_each_fixture_is_defined_once() -> None:
    counted = Counter(name for path in SOURCES for name in fixtures(parsed(path)))
    assert [name for name, count in counted.items() if count > 1] == []


def test_conftest_holds_only_fixtures_and_hooks() -> None:
    """A plain helper there could only be reached by importing conftest: it goes to support."""
    tree = parsed(TESTS / "conftest.py")
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    assert functions and [f.name for f in functions
                          if not is_fixture(f) and not f.name.startswith("pytest_")] == []


@pytest.mark.parametrize("path", TEST_FILES, ids=lambda p: p.name)
def test_the_file_is_named_after_what_it_tests(path: Path) -> None:
    assert names_a_module(path.stem, package_modules()), (
        f"{path.name}: name it test_<module>, test_<package>_<module> or test_scenario_<name>")


def test_the_naming_check_refuses_a_name_of_no_module() -> None:
    modules = package_modules()
    assert {"builder", "writers", "writers_history", "archive_filing", "cli_clicktext"} <= modules
    assert names_a_module("test_loader_fuzz", modules)
    assert names_a_module("test_scenario_hostile_inputs", modules)
    assert not names_a_module("test_writer", modules)
    assert not names_a_module("test_email", modules)
    assert not names_a_module("test_builders", modules)
