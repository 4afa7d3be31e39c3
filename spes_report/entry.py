"""The `spes-report` console script: Ctrl+C is caught before anything heavy is imported.

Kept tiny on purpose: whatever moment Ctrl+C is pressed, from the imports
of click and openpyxl to the last rename, the user sees « Commande
interrompue. » and exit status 1, never a Python traceback. An interrupted
change of outputs/ is finished by the next command (archive.open_outputs).
"""

import os
import sys

INTERRUPTED = "Commande interrompue."
EXIT_INTERRUPTED = 1


def _quiet_interrupt(unraisable: "sys.UnraisableHookArgs") -> None:
    """A Ctrl+C that lands inside a callback Python runs on its own (an import lock's
    clean-up, a finaliser) cannot be raised there: Python prints it as « Exception
    ignored » with a traceback and carries on. Say nothing instead; the command goes
    on as Python does, and finishes or stops as its own code decides."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        return
    sys.__unraisablehook__(unraisable)


def main() -> None:
    sys.unraisablehook = _quiet_interrupt
    try:
        from .cli import main as run

        run()
    except KeyboardInterrupt:
        sys.stderr.write(f"{INTERRUPTED}\n")
        sys.stderr.flush()
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        # The reader went away (``spes-report plan show | head``): nothing to tell it.
        # Python would complain again when flushing stdout at exit: point it elsewhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_INTERRUPTED)
