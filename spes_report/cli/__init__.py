"""The command line: a thin click layer over the library (``spes-report``).

- app: the click group and its commands;
- collect: ``collect prepare``, the pilots' return files (registered here);
- clicktext: click's own messages in French, and our French command classes;
- params: parameter types (a French date, a tolerance, a month);
- messages: results, records and errors turned into French lines;
- failures: domain errors turned into click's exceptions, in one place.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import __version__
from .app import cli
from .collect import collect_group
from .failures import EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE

cli.add_command(collect_group)

__all__ = ["EXIT_INPUT", "EXIT_INTERNAL", "EXIT_OK", "EXIT_USAGE", "cli", "main"]


def main() -> None:
    """The console script: click's own handling, and a crash report for the unforeseen."""
    try:
        cli(prog_name="spes-report")
    except BrokenPipeError:
        raise  # not a crash: the reader went away (entry.py)
    except Exception:
        log = _write_crash_report()
        click.echo(
            "Erreur interne inattendue : le traitement a été interrompu et aucun fichier existant "
            f"n'a été modifié. Les détails techniques sont dans {log} : transmettez ce "
            "fichier à l'équipe qui maintient l'outil.",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)


def _write_crash_report() -> Path:
    import tempfile
    import traceback

    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", prefix="spes-report-erreur-", suffix=".txt", delete=False
    ) as report:
        report.write(f"spes-report {__version__}\n{' '.join(sys.argv)}\n\n")
        report.write(traceback.format_exc())
    return Path(report.name)
