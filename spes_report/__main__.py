"""`python -m spes_report` runs the command line."""

from .cli import main

main()
