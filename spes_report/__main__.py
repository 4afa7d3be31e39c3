"""`python -m spes_report` runs the command line."""

from .entry import main

main()
