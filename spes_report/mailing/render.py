"""Fills the email templates: the package's own, or a user's file of the same name.

A file in ``templates/`` of the working directory wins over the packaged one,
so the service adapts the wording without touching the tool.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ..model import Plan
from ..problems import InputError, Problem, shown

OVERRIDES_DIR = Path("templates")
PACKAGED_DIR = Path(__file__).resolve().parent.parent / "templates"
SUBJECT, TEXT, HTML = "objet.txt", "message.txt", "message.html"
TEMPLATE_NAMES = (SUBJECT, TEXT, HTML)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def environment(overrides: Path | None = OVERRIDES_DIR) -> jinja2.Environment:
    """Templates looked up in ``overrides`` first, then in the package."""
    searched = [str(overrides)] if overrides is not None else []
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([*searched, str(PACKAGED_DIR)], encoding="utf-8"),
        # HTML escaping is on for the HTML body only: a comment holding "<" or
        # "&" must show as typed, never become markup.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",),
                                            default_for_string=False),
        # A misspelt variable is an error, not an empty gap in the message.
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def check_templates(overrides: Path | None = OVERRIDES_DIR,
                    plan: Plan | None = None, *,
                    names: tuple[str, str, str] = TEMPLATE_NAMES,
                    contexts: Sequence[Mapping[str, Any]] | None = None) -> None:
    """Compile the three templates, then fill them with sample reports of ``plan``
    (default: the embedded missions); raise InputError naming each template that fails.
    Another set of templates (subject, text, HTML: ``names``) is filled with its own
    sample ``contexts``.

    Run before anything is built, so that a misspelt variable or a type error
    (``{{ nombre_missions + "a" }}``) stops the command with nothing written.
    A template can still fail on a real month's figures: render_email reports it.
    """
    from .. import __version__
    from ..plan import load_plan
    from .sample import sample_contexts

    env = environment(overrides)
    problems: dict[str, Problem] = {}
    for name in names:
        try:
            env.get_template(name)
        except jinja2.TemplateError as error:
            problems[name] = _problem(env, name, error)
    if not problems:
        if contexts is None:
            contexts = sample_contexts(plan or load_plan(), __version__)
        for context in contexts:
            _, failed = _render(env, context, names)
            for name, problem in failed.items():
                problems.setdefault(name, problem)  # the first sample's is enough
    if problems:
        raise InputError([problems[name] for name in names if name in problems])


def render_email(context: Mapping[str, Any],
                 overrides: Path | None = OVERRIDES_DIR,
                 names: tuple[str, str, str] = TEMPLATE_NAMES) -> RenderedEmail:
    """The subject (on one line), the plain-text body and the HTML body, from the
    templates ``names`` (subject, text, HTML): the committee's by default."""
    env = environment(overrides)
    rendered, problems = _render(env, context, names)
    if problems:
        raise InputError(list(problems.values()))
    subject, text, html = names
    return RenderedEmail(rendered[subject], rendered[text], rendered[html])


def _render(env: jinja2.Environment, context: Mapping[str, Any],
            names: tuple[str, str, str] = TEMPLATE_NAMES,
            ) -> tuple[dict[str, str], dict[str, Problem]]:
    """Each template filled, or the problem that stopped it, by template name."""
    rendered, problems = {}, {}
    subject = names[0]
    for name in names:
        try:
            rendered[name] = env.get_template(name).render(context)
        except Exception as error:
            # Not only jinja2's errors: a template can add a number to a text
            # (TypeError), divide by zero, index past a list's end...
            problems[name] = _problem(env, name, error)
    if subject in rendered:
        # A header cannot hold a line break: a template ending with one, or a long
        # subject wrapped by its author, still gives one line.
        rendered[subject] = " ".join(rendered[subject].split())
        if not rendered[subject]:
            problems[subject] = Problem("template-empty-subject", _source(env, subject), "",
                                        "l'objet du message", "l'objet du message est vide")
    return rendered, problems


def _source(env: jinja2.Environment, name: str) -> str:
    """The file a template was read from, as the user can find it."""
    loader = env.loader
    assert isinstance(loader, jinja2.FileSystemLoader)
    for folder in loader.searchpath:
        candidate = Path(folder) / name
        if candidate.is_file():
            return str(candidate)
    return name


def _problem(env: jinja2.Environment, name: str, error: Exception) -> Problem:
    source = _source(env, name)
    if isinstance(error, jinja2.TemplateNotFound):
        return Problem("template-missing", source, "", "un modèle de message",
                       "ce modèle de message est introuvable")
    line = getattr(error, "lineno", None) or _failing_line(error, source)
    place = f"{source}, ligne {line}" if line else source
    if isinstance(error, jinja2.UndefinedError):
        # "'dict object' has no attribute 'x'" or "'x' is undefined": keep the name.
        names = re.findall(r"'([^']+)'", error.message or "")
        return Problem("template-undefined", place, names[-1] if names else "",
                       "une des variables décrites dans le README",
                       "ce modèle utilise une variable qui n'existe pas")
    if isinstance(error, jinja2.TemplateError):
        return Problem("template-syntax", place, error.message or "",
                       "la syntaxe des modèles ({{ variable }}, {% if %}…{% endif %})",
                       "ce modèle est mal écrit")
    # Python's own message is English: show the line the user wrote instead.
    return Problem("template-error", place, _line_text(source, line), "",
                   f"ce modèle ne peut pas être rempli : {_what(error)}")


def _what(error: Exception) -> str:
    if isinstance(error, TypeError):
        return "il combine des valeurs de types incompatibles, par exemple un nombre et un texte"
    if isinstance(error, ZeroDivisionError):
        return "il divise par zéro"
    if isinstance(error, IndexError | KeyError):
        return "il demande un élément qui n'existe pas"
    if isinstance(error, ValueError):
        return "il transforme une valeur qui ne s'y prête pas"
    return f"erreur {type(error).__name__} au remplissage"


def _line_text(source: str, line: int | None) -> str:
    """The template's line ``line`` as the user typed it, shortened; "" if unknown."""
    if not line:
        return ""
    try:
        lines = Path(source).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    return shown(lines[line - 1].strip()) if 0 < line <= len(lines) else ""


def _failing_line(error: Exception, source: str) -> int | None:
    """The template line being rendered when ``error`` was raised.

    Jinja rewrites tracebacks so that template frames carry the template's
    file name and line.
    """
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if frame.filename == source or frame.filename.endswith(Path(source).name)]
    return frames[-1].lineno if frames else None
