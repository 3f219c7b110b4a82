"""``python -m newsbrief`` and the ``newsbrief`` script: the command line.

:func:`run` imports the CLI itself so that a Ctrl-C during the imports (typer,
rich: the first half second) ends with exit 130 like one later on, not with a
traceback.
"""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130


def run() -> None:
    try:
        from newsbrief.cli import main
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    main()


if __name__ == "__main__":
    run()
