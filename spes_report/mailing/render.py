"""Fills the email templates: the package's own, or a user's file of the same name.

A file in ``templates/`` of the working directory wins over the packaged one,
so the service adapts the wording without touching the tool.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ..problems import InputError, Problem

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


def check_templates(overrides: Path | None = OVERRIDES_DIR) -> None:
    """Compile the three templates; raise InputError naming any that cannot be read."""
    env = environment(overrides)
    problems = []
    for name in TEMPLATE_NAMES:
        try:
            env.get_template(name)
        except jinja2.TemplateError as error:
            problems.append(_problem(env, name, error))
    if problems:
        raise InputError(problems)


def render_email(context: Mapping[str, Any],
                 overrides: Path | None = OVERRIDES_DIR) -> RenderedEmail:
    """The subject (on one line), the plain-text body and the HTML body."""
    env = environment(overrides)
    rendered = {}
    problems = []
    for name in TEMPLATE_NAMES:
        try:
            rendered[name] = env.get_template(name).render(context)
        except jinja2.TemplateError as error:
            problems.append(_problem(env, name, error))
    if problems:
        raise InputError(problems)
    # A header cannot hold a line break: a template ending with one, or a long
    # subject wrapped by its author, still gives one line.
    subject = " ".join(rendered[SUBJECT].split())
    if not subject:
        raise InputError([Problem("template-empty-subject", _source(env, SUBJECT), "",
                                  "l'objet du message", "l'objet du message est vide")])
    return RenderedEmail(subject, rendered[TEXT], rendered[HTML])


def _source(env: jinja2.Environment, name: str) -> str:
    """The file a template was read from, as the user can find it."""
    loader = env.loader
    assert isinstance(loader, jinja2.FileSystemLoader)
    for folder in loader.searchpath:
        candidate = Path(folder) / name
        if candidate.is_file():
            return str(candidate)
    return name


def _problem(env: jinja2.Environment, name: str, error: jinja2.TemplateError) -> Problem:
    place = _source(env, name)
    if isinstance(error, jinja2.TemplateNotFound):
        return Problem("template-missing", place, "", "un modèle de message",
                       "ce modèle de message est introuvable")
    line = getattr(error, "lineno", None) or _failing_line(error, place)
    if line:
        place = f"{place}, ligne {line}"
    if isinstance(error, jinja2.UndefinedError):
        # "'dict object' has no attribute 'x'" or "'x' is undefined": keep the name.
        names = re.findall(r"'([^']+)'", error.message or "")
        return Problem("template-undefined", place, names[-1] if names else "",
                       "une des variables décrites dans le README",
                       "ce modèle utilise une variable qui n'existe pas")
    return Problem("template-syntax", place, error.message or "",
                   "la syntaxe des modèles ({{ variable }}, {% if %}…{% endif %})",
                   "ce modèle est mal écrit")


def _failing_line(error: Exception, source: str) -> int | None:
    """The template line being rendered when ``error`` was raised.

    Jinja rewrites tracebacks so that template frames carry the template's
    file name and line.
    """
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if frame.filename == source or frame.filename.endswith(Path(source).name)]
    return frames[-1].lineno if frames else None
