"""The command-line shell over :mod:`newsbrief.api`. No logic lives here."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from . import api, render
from .errors import NewsbriefError
from .settings import load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Many articles on one story in, one cited briefing out.")
err = Console(stderr=True)


def fail(error: NewsbriefError) -> None:
    err.print(f"[red]error:[/red] {error}", markup=True, highlight=False)
    raise typer.Exit(error.exit_code)


@app.command()
def brief(
    articles: list[str] = typer.Argument(None, help="Files, directories, globs, JSON Lines, URLs, or - for stdin."),
    words: Optional[int] = typer.Option(None, "--words", "-w", help="Word budget of the summary."),
    fmt: str = typer.Option("markdown", "--format", "-f", help="markdown, json or html."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of the terminal."),
    config: Optional[Path] = typer.Option(None, "--config", help="A TOML settings file."),
    embedder: Optional[str] = typer.Option(None, "--embedder", help="minilm, tfidf or auto."),
) -> None:
    """Brief a story from its articles."""
    try:
        settings = load_settings(config, embedder=embedder, words=words)
        resources = api.make_resources(settings)
        result = api.brief(articles or [], resources, words=words, stdin=sys.stdin.buffer)
        text = render.render(result, fmt)
        if output:
            render.write_atomic(output, text)
        else:
            sys.stdout.write(text)
    except NewsbriefError as error:
        fail(error)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()
