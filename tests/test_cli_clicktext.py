"""Everything the command line prints is French: click's own messages, help, interruptions."""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import signal
import string
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from support import SAMPLE, command_tree, console_script

from spes_report.cli import cli
from spes_report.cli.clicktext import CLICK_MODULES, MESSAGES, PLURAL_MESSAGES, french_click

# Words of click's English messages that must never reach a user.
ENGLISH = ("Usage", "Error", "Invalid", "Try", "Missing", "No such", "range", "Aborted",
           "Show", "Commands", "COMMAND", "ARGS", "exit", "does not", "is not", "is a",
           "Did you mean", "requires", "Got unexpected", "float", "integer", "Directory", "File")


def english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if re.search(rf"\b{re.escape(word)}\b", text)]


def spes_report(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed console script, as staff run it."""
    env = {**os.environ, "PYTHONWARNINGS": "error", "COLUMNS": "80"}
    return subprocess.run([console_script(), *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=60)


@pytest.fixture(scope="module")
def usage_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("usage")
    shutil.copy(SAMPLE, folder / "input.xlsx")
    (folder / "unfichier").write_text("x", encoding="utf-8")
    (folder / "undossier").mkdir()
    return folder


WRONG_USAGES = [
    (["nope"], "la commande « nope » n'existe pas."),
    (["buil"], "la commande « buil » n'existe pas. Vouliez-vous dire 'build' ?"),
    (["--versio"], "l'option « --versio » n'existe pas. Vouliez-vous dire '--version' ?"),
    (["build", "--x"], "l'option « --x » n'existe pas."),
    (["build", "--date"], "l'option « --date » doit être suivie d'une valeur."),
    (["build", "--date", "bientôt"],
     "valeur incorrecte pour '--date' : date illisible : « bientôt »"),
    (["build", "--replace=oui"], "l'option « --replace » ne prend pas de valeur."),
    (["build", "input.xlsx", "autre.xlsx"], "argument en trop : autre.xlsx"),
    (["build", "a.xlsx", "b.xlsx", "c.xlsx"], "arguments en trop : b.xlsx c.xlsx"),
    (["build", "--tolerance", "nan"], "« nan » n'est pas un nombre de points"),
    (["build", "--tolerance", "inf"], "« inf » n'est pas un nombre de points"),
    (["build", "--tolerance", "-inf"], "« -inf » n'est pas un nombre de points"),
    (["build", "--tolerance", "1e3"], "« 1e3 » n'est pas un nombre de points"),
    (["build", "--tolerance", "beaucoup"], "« beaucoup » n'est pas un nombre de points"),
    (["build", "--tolerance", "150"], "« 150 » est hors limites : la tolérance va de 0 à 100"),
    (["build", "--tolerance", "-3"], "« -3 » est hors limites"),
    (["build", "--output-dir", "unfichier"], "« unfichier » est un fichier, pas un dossier."),
    (["init", "undossier"], "« undossier » est un dossier, pas un fichier."),
    (["build", "--no-archive", "--replace"], "--replace et --no-archive s'excluent"),
    (["email", "--tolerance", "nan"], "« nan » n'est pas un nombre de points"),
    (["archive", "verify", "13/2020"], "mois illisible : « 13/2020 »"),
    (["archive", "lister"], "la commande « lister » n'existe pas. Vouliez-vous dire 'list' ?"),
]


@pytest.mark.parametrize(("args", "french"), WRONG_USAGES,
                         ids=[" ".join(args) for args, _ in WRONG_USAGES])
def test_wrong_usage_is_explained_in_french(usage_folder: Path, args: list[str],
                                            french: str) -> None:
    before = sorted(p.name for p in usage_folder.iterdir())
    done = spes_report(*args, cwd=usage_folder)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert french in done.stderr
    assert "Erreur : " in done.stderr
    assert english_in(done.stderr) == [], done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in usage_folder.iterdir()) == before


def test_a_usage_error_shows_the_usage_and_where_to_find_help(usage_folder: Path) -> None:
    done = spes_report("build", "--x", cwd=usage_folder)
    assert done.stderr.splitlines()[:2] == [
        "Utilisation : spes-report build [OPTIONS] [FICHIER]",
        "Pour l'aide, tapez « spes-report build --help ».",
    ]


ALL_COMMANDS = [path for path, _ in command_tree()]


def test_the_walk_finds_nested_commands() -> None:
    assert {(), ("build",), ("archive",), ("archive", "verify")} <= set(ALL_COMMANDS)


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(p) or "spes-report")
def test_every_help_is_french(usage_folder: Path, path: tuple[str, ...]) -> None:
    done = spes_report(*path, "--help", cwd=usage_folder)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith(f"Utilisation : {' '.join(('spes-report', *path))} [OPTIONS]")
    assert "\nOptions :\n" in text
    assert "-h, --help  " in text and "Affiche cette aide." in text
    command = cli
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    if isinstance(command, click.Group):
        assert "COMMANDE [ARGUMENTS]..." in text
        assert "\nCommandes :\n" in text
    assert english_in(text) == [], text


def test_a_group_without_its_command_shows_its_french_help(usage_folder: Path) -> None:
    done = spes_report("archive", cwd=usage_folder)
    assert done.returncode == 2
    assert "Utilisation : spes-report archive" in done.stdout + done.stderr
    assert english_in(done.stdout + done.stderr) == []


def test_ctrl_c_is_announced_in_french(usage_folder: Path) -> None:
    """A real SIGINT, while build runs (its work replaced by a wait)."""
    program = (
        "import sys, time\n"
        "import spes_report.pipeline as pipeline\n"
        "def wait(*args, **kwargs):\n"
        "    print('en cours', flush=True)\n"
        "    time.sleep(60)\n"
        "pipeline.build = wait\n"
        "sys.argv = ['spes-report', 'build', '--no-archive']\n"
        "from spes_report.cli import main\n"
        "main()\n"
    )
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    with subprocess.Popen([sys.executable, "-c", program], cwd=usage_folder, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stdout.readline() == "en cours\n"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert err.strip() == "Commande interrompue."


def test_click_is_english_again_after_the_command(tmp_path: Path) -> None:
    """The French lasts as long as our command: click elsewhere in the process is untouched."""
    result = CliRunner().invoke(cli, ["nope"])
    assert "la commande « nope » n'existe pas" in result.output
    for name in CLICK_MODULES:
        module = sys.modules[name]
        if hasattr(module, "_"):
            assert module._ is gettext.gettext, name
        if hasattr(module, "ngettext"):
            assert module.ngettext is gettext.ngettext, name


def test_nested_french_sections_restore_the_original() -> None:
    import click.exceptions

    with french_click():
        with french_click():
            assert click.exceptions._("Missing argument") == "argument manquant"
        assert click.exceptions._("Missing argument") == "argument manquant"
    assert click.exceptions._("Missing argument") == "Missing argument"


def click_message_ids() -> tuple[set[str], set[tuple[str, str]]]:
    """Every literal message id click passes to _() and ngettext(), read from its source."""
    singles: set[str] = set()
    plurals: set[tuple[str, str]] = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant)
                     and isinstance(a.value, str)]
            if node.func.id == "_" and texts:
                singles.add(texts[0])
            elif node.func.id == "ngettext" and len(texts) == 2:
                plurals.add((texts[0], texts[1]))
    return singles, plurals


def test_every_click_message_has_its_french() -> None:
    singles, plurals = click_message_ids()
    assert len(singles) > 50 and len(plurals) > 5  # the source was really read
    assert sorted(singles - MESSAGES.keys()) == []
    assert sorted(plurals - PLURAL_MESSAGES.keys()) == []
    # And nothing stale: an id that click no longer uses would hide a missing one.
    assert sorted(MESSAGES.keys() - singles) == []
    assert sorted(PLURAL_MESSAGES.keys() - plurals) == []


def fields(text: str) -> set[str]:
    """The placeholders of a str.format template, or of a %-template."""
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    return names | set(re.findall(r"%\((\w+)\)s", text))


def test_french_texts_ask_only_for_what_click_supplies() -> None:
    pairs = [*MESSAGES.items()]
    for english, french in PLURAL_MESSAGES.items():
        pairs += [(english[0], french[0]), (english[1], french[1])]
    for english, french in pairs:
        supplied = fields(english)
        if english.startswith("Takes {nargs}") or english.startswith("Did you mean"):
            # click formats both forms with every value (len, possibilities).
            supplied |= {"len", "possibilities", "possibility"}
        assert fields(french) <= supplied, (english, french)
        assert english_in(re.sub(r"\{[^}]*\}", "", french)) == [], french


def test_french_plurals_follow_the_french_rule() -> None:
    from spes_report.cli.clicktext import french_ngettext

    one, many = "Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"
    assert french_ngettext(one, many, 0) == "argument en trop : {args}"
    assert french_ngettext(one, many, 1) == "argument en trop : {args}"
    assert french_ngettext(one, many, 2) == "arguments en trop : {args}"
    # An id we do not know keeps click's own rule.
    assert french_ngettext("a", "b", 1) == "a" and french_ngettext("a", "b", 0) == "b"
