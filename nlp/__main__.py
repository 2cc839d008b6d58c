"""Run the command line: ``python -m nlp …`` is ``govreport …``."""

from nlp.cli import main

main()
