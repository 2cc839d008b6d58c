"""Run the command line from a checkout: ``python cli.py …`` is ``govreport …``.

The commands live in :mod:`nlp.cli`; this file only keeps the checkout's
entry point working.
"""

from nlp.cli import app, main

__all__ = ["app", "main"]

if __name__ == "__main__":
    main()
