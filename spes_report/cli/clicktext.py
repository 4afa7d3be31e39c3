"""Click in French: its own messages (usage, help headings, usage errors) and our command classes.

Click builds every message it prints through gettext: each of its modules does
``from gettext import gettext as _`` (and ``ngettext``) and formats the English
message id it gets back. So rather than re-implementing click's error display
(one subclass per exception, a parser of its messages), we give those modules,
while our command runs, a ``_`` that looks the English id up in the table below
and falls back to the id itself. Why this way:

- contained: only click's modules see it, only for the duration of
  ``FrenchCommand.main`` (``french_click``), and the previous functions are put
  back afterwards; the process-wide gettext domain and the locale are untouched,
  so French does not depend on the user's LANG;
- complete and checkable: tests/test_cli_clicktext.py reads click's source and fails
  if a message id click uses has no French here, or if a French text asks for a
  placeholder that click does not supply;
- the French texts may drop or reorder placeholders (str.format ignores unused
  ones): "Directory 'x' is a file." becomes "« x » est un fichier, pas un dossier."

Texts click builds without gettext are dealt with where they arise: the
``[OPTIONS]``/``COMMAND [ARGS]...`` metavars and the help headings by the
classes below, FloatRange's "0<=x<=100" by our own tolerance type (params.py).
"""

from __future__ import annotations

import gettext
import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

import click

# Click's modules that translate with `_` / `ngettext`; click._winconsole refuses
# to be imported anywhere but on Windows.
CLICK_MODULES = (
    "click.core", "click.decorators", "click.exceptions", "click.formatting",
    "click.parser", "click.types", "click.termui", "click.utils",
    "click.shell_completion", "click._termui_impl",
    *(("click._winconsole",) if sys.platform == "win32" else ()),
)

# Click's message ids (click 8.5), as they appear in its source.
MESSAGES: dict[str, str] = {
    # Help.
    "Usage:": "Utilisation :",
    "Options": "Options",
    "Commands": "Commandes",
    "Positional arguments": "Arguments",
    "Show this message and exit.": "Affiche cette aide.",
    "Show the version and exit.": "Affiche la version.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "default: {default}": "par défaut : {default}",
    "env var: {var}": "variable d'environnement : {var}",
    "(dynamic)": "(calculé)",
    "deprecated": "obsolète",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "Choice({choices})": "Choix({choices})",
    "Confirm the action without prompting.": "Confirme l'action sans la demander.",
    # Usage errors.
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Pour l'aide, tapez « {command} {option} ».",
    "No such command {name!r}.": "la commande « {name} » n'existe pas.",
    "No such option {name!r}.": "l'option « {name} » n'existe pas.",
    "Missing command.": "indiquez une commande.",
    "Missing argument": "argument manquant",
    "Missing option": "option manquante",
    "Missing parameter": "paramètre manquant",
    "Missing {param_type}": "élément manquant ({param_type})",
    "Missing parameter: {param_name}": "paramètre manquant : {param_name}",
    "Invalid value for {param_hint}: {message}": "valeur incorrecte pour {param_hint} : {message}",
    "Invalid value: {message}": "valeur incorrecte : {message}",
    "Option {name!r} does not take a value.": "l'option « {name} » ne prend pas de valeur.",
    "Argument {name!r} takes {nargs} values.": "l'argument « {name} » demande {nargs} valeurs.",
    "Invalid start character for option ({option})":
        "caractère de début incorrect pour l'option ({option})",
    "Value must be an iterable.": "la valeur doit être une liste.",
    "{value} is not in the range {range}.":
        "{value} est en dehors des valeurs permises ({range}).",
    "{value!r} is not a valid {number_type}.": "« {value} » n'est pas un nombre valide.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "« {value} » n'est pas une valeur oui/non ; valeurs reconnues : {states}",
    "{value!r} is not a valid UUID.": "« {value} » n'est pas un identifiant UUID valide.",
    # Paths (click names the kind of path; the French says what was expected).
    "{name} {filename!r} does not exist.": "« {filename} » n'existe pas.",
    "{name} {filename!r} is a file.": "« {filename} » est un fichier, pas un dossier.",
    "{name} {filename!r} is a directory.": "« {filename} » est un dossier, pas un fichier.",
    "{name} {filename!r} is not readable.":
        "« {filename} » ne peut pas être lu (droits insuffisants).",
    "{name} {filename!r} is not writable.":
        "« {filename} » ne peut pas être modifié (droits insuffisants).",
    "{name} {filename!r} is not executable.": "« {filename} » n'est pas exécutable.",
    "Could not open file {filename!r}: {message}":
        "impossible d'ouvrir le fichier « {filename} » : {message}",
    # Interruption, prompts, terminal.
    "Aborted!": "Commande interrompue.",
    "Do you want to continue?": "Voulez-vous continuer ?",
    "Repeat for confirmation": "Confirmez en tapant de nouveau",
    "Error: The two entered values do not match.":
        "Erreur : les deux valeurs tapées sont différentes.",
    "Error: invalid input": "Erreur : saisie incorrecte",
    "Press any key to continue...": "Appuyez sur une touche pour continuer…",
    "unknown error": "erreur inconnue",
    "Windows error: {error}": "Erreur de Windows : {error}",
    "{editor}: Editing failed": "{editor} : la modification a échoué",
    "{editor}: Editing failed: {e}": "{editor} : la modification a échoué : {e}",
    "d": " j",  # days, in a progress bar's remaining time
    "Unknown color {colour!r}": "Couleur inconnue : « {colour} »",
    "Unknown standard stream '{name}'": "Flux standard inconnu : « {name} »",
    "Couldn't detect Bash version, shell completion is not supported.":
        "Version de Bash inconnue : la complétion automatique n'est pas disponible.",
    "Shell completion is not supported for Bash versions older than 4.4.":
        "La complétion automatique demande Bash 4.4 ou plus récent.",
    # Mistakes in a command's definition (for developers, French all the same).
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "Attention : la commande « {name} » est obsolète.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "Attention : « {name} » ({param_type}) est obsolète.{extra_message}",
    "Could not determine name for option with declarations {decls!r}":
        "Impossible de trouver le nom de l'option déclarée par {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an "
    "argument instead? Did you mean to pass '--{name}'?":
        "Aucune option n'est déclarée, mais un nom est donné ({name}) : vouliez-vous "
        "déclarer un argument, ou écrire « --{name} » ?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.":
        "Un argument se déclare avec un seul nom ; {length} donnés : {decls}.",
    "Name '{name}' defined twice": "Le nom « {name} » est déclaré deux fois",
    "Boolean option {decl!r} cannot use the same flag for true/false.":
        "L'option oui/non {decl!r} ne peut pas avoir le même nom pour oui et pour non.",
}

# ngettext's (singular, plural) message ids -> French (singular, plural).
# French puts 0 and 1 in the singular, so the singular texts never say "1".
PLURAL_MESSAGES: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("argument en trop : {args}", "arguments en trop : {args}"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("l'option « {name} » doit être suivie d'une valeur.",
         "l'option « {name} » doit être suivie de {nargs} valeurs."),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("Vouliez-vous dire {possibility} ?", "(Vouliez-vous dire l'une de celles-ci : "
                                              "{possibilities} ?)"),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("{nargs} valeurs sont demandées, mais {len} est donnée.",
         "{nargs} valeurs sont demandées, mais {len} sont données."),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("« {value} » n'est pas permis ; seule valeur possible : {choice}.",
         "« {value} » ne fait pas partie des valeurs permises : {choices}."),
    ("{value!r} does not match the format {format}.",
     "{value!r} does not match the formats {formats}."):
        ("« {value} » ne suit pas le format {format}.",
         "« {value} » ne suit aucun des formats {formats}."),
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."):
        ("{len_type} valeurs sont demandées, mais {len_value} est donnée.",
         "{len_type} valeurs sont demandées, mais {len_value} sont données."),
}


def french_gettext(message: str) -> str:
    """Click's message in French; the message itself when it has none."""
    return MESSAGES.get(message, message)


def french_ngettext(singular: str, plural: str, n: int) -> str:
    """Click's counted message in French, by the French rule (0 and 1 are singular)."""
    french = PLURAL_MESSAGES.get((singular, plural))
    if french is None:
        return singular if n == 1 else plural
    return french[0] if n <= 1 else french[1]


@contextmanager
def french_click() -> Iterator[None]:
    """While inside, click's own messages are French; then they are what they were."""
    saved: list[tuple[ModuleType, str, object]] = []
    replacements = (("_", gettext.gettext, french_gettext),
                    ("ngettext", gettext.ngettext, french_ngettext))
    # Imported now, even those loaded lazily, so that none escapes translation.
    for module in map(importlib.import_module, CLICK_MODULES):
        for name, stdlib, french in replacements:
            # Only the stdlib's own: inside a nested call they are French already.
            if getattr(module, name, None) is stdlib:
                saved.append((module, name, stdlib))
                setattr(module, name, french)
    try:
        yield
    finally:
        for module, name, previous in reversed(saved):
            setattr(module, name, previous)



class FrenchHelpFormatter(click.HelpFormatter):
    def write_heading(self, heading: str) -> None:
        # French typography: a space before the colon ("Options :").
        self.write(f"{'':>{self.current_indent}}{heading} :\n")


class FrenchContext(click.Context):
    formatter_class = FrenchHelpFormatter


class FrenchCommand(click.Command):
    """A command that speaks French: its help, its usage errors, click's own messages."""

    context_class = FrenchContext

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # Every way in (the console script, CliRunner, python -m) comes through here.
        with french_click():
            return super().main(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Affiche cette aide."
        return option


class FrenchGroup(FrenchCommand, click.Group):
    command_class = FrenchCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Click writes this one without gettext.
        kwargs.setdefault("subcommand_metavar", "COMMANDE [ARGUMENTS]...")
        super().__init__(*args, **kwargs)
