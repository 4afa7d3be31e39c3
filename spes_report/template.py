"""Temporary: the input template writer is now spes_report.writers.template.

Kept only until the CLI imports the new path; to be deleted then.
"""

from .writers.template import *  # noqa: F403
from .writers.template import BACKUP_LABEL as BACKUP_LABEL
from .writers.template import TemplateExistsError as TemplateExistsError
from .writers.template import write_template as write_template
