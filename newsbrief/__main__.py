"""``python -m newsbrief``: the same command line as the ``newsbrief`` script."""

from newsbrief.cli import main

if __name__ == "__main__":
    main()
