"""The command-line shell over :mod:`newsbrief.api`. No logic lives here.

Every command raises :class:`~newsbrief.errors.NewsbriefError` for a user's
mistake; :func:`main` turns it into one line on stderr and the error's exit
code, so no command needs its own ``try``. Anything else is a bug: one line
``internal error: ...`` and exit 70 (the trace only with ``-v``).
"""

from __future__ import annotations

import importlib
import logging
import shlex
import sys
import traceback
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from . import __version__, render
from .errors import InputError, NewsbriefError
from .settings import Settings, load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Many articles on one story in, one cited briefing out.")
err = Console(stderr=True)
log = logging.getLogger("newsbrief")

EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70  # EX_SOFTWARE
_state = {"verbose": 0}


class _LazyModule:
    """A module imported on first attribute access.

    ``api`` pulls in every pipeline stage; importing it when a command runs
    (not when the script starts) keeps ``--help``/``--version`` instant and puts
    any import failure inside :func:`main`'s error handling.
    """

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self._name, __package__), attr)


api = _LazyModule(".api")


# --------------------------------------------------------------------------- shared helpers


def say(message: str, style: str | None = None, label: str = "") -> None:
    """One line on stderr: never wrapped, never read as Rich markup."""
    line = Text(label, style=style) if label else Text()
    line.append(" ".join(str(message).split()))
    err.print(line, soft_wrap=True, highlight=False)


def set_verbosity(level: int) -> None:
    """-v logs what the stages do (and traces internal errors), -vv logs everything."""
    _state["verbose"] = max(_state["verbose"], level)
    if _state["verbose"]:
        logging.getLogger().setLevel(logging.DEBUG if _state["verbose"] > 1 else logging.INFO)


def apply_log_level(settings: Settings) -> None:
    """The settings' log_level, unless -v asked for more."""
    if not _state["verbose"]:
        level = logging.getLevelName(settings.log_level.upper())
        logging.getLogger().setLevel(level if isinstance(level, int) else logging.WARNING)


class ProgressBars:
    """The ``progress(stage, done, total)`` callback the api takes, drawn as Rich bars.

    Bars go to stderr and only when stderr is a terminal, so pipes and files
    get clean output; they vanish once the run ends.
    """

    LABELS = {"read": "reading", "brief": "briefing"}

    def __init__(self, console: Console = err, enabled: bool | None = None) -> None:
        self.console = console
        self.enabled = console.is_terminal if enabled is None else enabled
        self._progress: Progress | None = None
        self._tasks: dict[str, int] = {}

    def __enter__(self) -> ProgressBars:
        if self.enabled:
            self._progress = Progress(
                SpinnerColumn(), TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), console=self.console, transient=True,
            )
            self._progress.start()
        return self

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._progress is None:
            return
        task = self._tasks.get(stage)
        if task is None:
            label = self.LABELS.get(stage, stage)
            task = self._tasks[stage] = self._progress.add_task(label, total=total or None)
        self._progress.update(task, completed=done, total=total or None)

    def __exit__(self, *exc_info: object) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsbrief {__version__}")
        raise typer.Exit(0)


VERBOSE_HELP = "Log what happens and show full traces of internal errors (-vv: debug logging)."


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help=VERBOSE_HELP),
) -> None:
    """Many articles on one story in, one cited briefing out."""
    set_verbosity(verbose)


# --------------------------------------------------------------------------- brief


@app.command()
def brief(
    articles: list[str] = typer.Argument(None, help="Files, directories, globs, JSON Lines, URLs, or - for stdin."),
    words: int | None = typer.Option(None, "--words", "-w", help="Word budget of the summary (default 120)."),
    fmt: str = typer.Option("markdown", "--format", "-f", help="markdown, json or html."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here (atomically) instead of stdout."),
    config: Path | None = typer.Option(None, "--config", help="A TOML settings file."),
    embedder: str | None = typer.Option(None, "--embedder", help="minilm, tfidf or auto."),
    story: int | None = typer.Option(None, "--story", help="Brief a story stored in the library (see `stories`); a number merged away leads to its story."),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help=VERBOSE_HELP),
) -> None:
    """Brief a story from its articles: headline, cited summary, who said what, sources."""
    set_verbosity(verbose)
    fmt = render.check_format(fmt)  # before the work, not after it
    if output is not None:
        render.check_output_path(output)
    if story is not None and articles:
        raise InputError("give either --story or article inputs, not both")
    if not articles and story is None:
        raise InputError("no input given: name article files, directories, globs, URLs, or - for stdin")
    if words is not None and words <= 0:
        raise InputError(f"--words must be a positive number, got {words}")
    settings = load_settings(config, embedder=embedder, words=words)
    apply_log_level(settings)
    resources = api.make_resources(settings)
    with ProgressBars() as progress:
        if story is not None:
            result = api.story_briefing(_current_story(resources, story), resources, words=words,
                                        progress=progress)
        else:
            stdin = sys.stdin.buffer if sys.stdin is not None else None  # None when started without one
            result = api.brief(articles, resources, words=words, stdin=stdin, progress=progress)
    for skipped in result.skipped:
        say(f"{skipped.origin}: {skipped.reason}", "yellow", "skipped ")
    text = render.render(result, fmt)
    if output is not None:
        render.write_atomic(output, text)
        if err.is_terminal:
            say(f"{output} ({len(result.sources)} sources)", "green", "wrote ")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _current_story(resources, story_id: int) -> int:
    """The story's number now, saying so when it was merged into another."""
    heir = api.resolve_story(resources, story_id)
    if heir != story_id:
        say(f"story {story_id} was merged into story {heir}", "yellow", "note ")
    return heir


# --------------------------------------------------------------------------- eval

eval_app = typer.Typer(no_args_is_help=True, help="Measure newsbrief's quality against published systems.")
app.add_typer(eval_app, name="eval")


@eval_app.command("summarize")
def eval_summarize(
    dataset: Path = typer.Option(..., "--dataset", "-d", help="JSON Lines clusters: id, docs [{id, text}], refs."),
    words: int = typer.Option(100, "--words", "-w", help="Word budget: every system is cut to it."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the table here as JSON and Markdown."),
    published: Path | None = typer.Option(None, "--published", help="Published outputs to re-score "
                                          "(default: sumrepo_duc2004.jsonl beside a DUC 2004 dataset)."),
    limit: int | None = typer.Option(None, "--limit", "-n", help="Only the first N clusters."),
    clean: bool | None = typer.Option(None, "--clean/--no-clean", help="Clean documents first "
                                      "(default: when they carry no outlet metadata, i.e. scraped text)."),
    peers: str | None = typer.Option(None, "--peers", help="Comma-separated sumy peers (default: all six)."),
    config: Path | None = typer.Option(None, "--config", help="A TOML settings file."),
    embedder: str | None = typer.Option(None, "--embedder", help="minilm, tfidf or auto."),
    official: bool = typer.Option(False, "--official", help="Also score every system with the ROUGE-1.5.5 "
                                  "Perl script and DUC 2004's flags (needs Perl and the eval extra)."),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help=VERBOSE_HELP),
) -> None:
    """Score newsbrief, sumy's peers, published outputs, Lead and an oracle by ROUGE."""
    from . import eval_report, evaluate

    set_verbosity(verbose)
    settings = load_settings(config, embedder=embedder)
    apply_log_level(settings)
    run = evaluate.prepare_run(dataset, words, limit=limit, published=published, clean=clean, peers=peers,
                               official=official)
    resources = api.make_resources(settings)
    with ProgressBars() as progress:
        result = evaluate.evaluate(run.clusters, words, resources=resources, published=run.published,
                                   peer_names=run.peer_names, clean=run.clean, dataset=str(dataset),
                                   progress=progress)
        if official:
            evaluate.add_official_scores(result, run.clusters, progress=progress)
    rows = eval_report.table_rows(result)
    command = "newsbrief " + shlex.join(sys.argv[1:])
    _print_eval_table(result, rows)
    if output is not None:
        for path in eval_report.write_report(output, result, rows, command):
            say(str(path), "green", "wrote ")


def _print_eval_table(result, rows) -> None:
    from rich import box
    from rich.table import Table

    from .eval_report import COLUMNS

    table = Table(title=f"{result.dataset}: {result.clusters} clusters, {result.words}-word budget; "
                  "ROUGE (rouge-score, stemmed) mean and 95% CI", box=box.SIMPLE_HEAD)
    for header in ("system", *COLUMNS, "n", "words", "s/cluster"):
        table.add_column(header, justify="left" if header == "system" else "right",
                         min_width=11 if header in COLUMNS else None)
    for row in rows:
        cells = [f"{row[c]['mean']:.2f}\n[{row[c]['low']:.1f},{row[c]['high']:.1f}]" for c in COLUMNS]
        table.add_row(row["system"], *cells, str(row["clusters"]), f"{row['words']:.0f}",
                      f"{row['seconds_per_cluster']:.2f}", style="bold green" if row["kind"] == "newsbrief" else None)
    Console().print(table)
    if any("official" in row for row in rows):
        _print_official_table(rows)
    for note in result.notes:
        say(note, "yellow", "note: ")


def _print_official_table(rows) -> None:
    from rich import box
    from rich.table import Table

    from .eval_report import OFFICIAL_COLUMNS, official_cells, official_rows

    table = Table(title="Official scale: ROUGE-1.5.5 with DUC 2004's flags, mean and 95% CI", box=box.SIMPLE_HEAD)
    for header in ("system", *OFFICIAL_COLUMNS):
        table.add_column(header, justify="left" if header == "system" else "right")
    for row in official_rows(rows):
        table.add_row(row["system"], *official_cells(row), style="bold green" if row["kind"] == "newsbrief" else None)
    Console().print(table)


# --------------------------------------------------------------------------- serve


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback by default)."),
    port: int = typer.Option(8000, "--port", "-p", help="TCP port."),
    allow_private_urls: bool = typer.Option(
        False, "--allow-private-urls",
        help="Let users make the server fetch private, loopback and link-local addresses (off by default)."),
    config: Path | None = typer.Option(None, "--config", help="A TOML settings file."),
    embedder: str | None = typer.Option(None, "--embedder", help="minilm, tfidf or auto."),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help=VERBOSE_HELP),
) -> None:
    """Serve the web pages and the JSON API (/api/, schema at /openapi.json)."""
    import uvicorn

    from . import web

    set_verbosity(verbose)
    if not 0 < port < 65536:
        raise InputError(f"--port must be between 1 and 65535, got {port}")
    settings = load_settings(config, embedder=embedder)
    apply_log_level(settings)
    allow = allow_private_urls or web.operator_allows_private_urls(config)
    # Bound to loopback, answer only to loopback names: a DNS-rebinding page is refused.
    loopback = host in web.LOOPBACK_HOSTS
    application = web.create_app(settings, allow_private_urls=allow,
                                 allowed_hosts=web.LOOPBACK_HOSTS if loopback else None)
    say(f"http://{host}:{port}/  (API schema: /openapi.json)", "green", "serving ")
    uvicorn.run(application, host=host, port=port, log_level=settings.log_level.lower())


# --------------------------------------------------------------------------- the story library

JSON_HELP = "Print machine-readable JSON instead of a table."


def _library(config: Path | None, embedder: str | None = None):
    settings = load_settings(config, embedder=embedder)
    apply_log_level(settings)
    return api.make_resources(settings)


def _print_json(value) -> None:
    import dataclasses
    import json

    def plain(item):
        return dataclasses.asdict(item) if dataclasses.is_dataclass(item) else item

    data = plain(value) if dataclasses.is_dataclass(value) else [plain(v) for v in value]
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _report_added(report, as_json: bool) -> None:
    for skipped in report.skipped:
        say(f"{skipped.origin}: {skipped.reason}", "yellow", "skipped ")
    if as_json:
        _print_json(report)
        return
    merged = f", {report.merged} stories merged into others" if report.merged else ""
    say(f"{report.added} articles ({report.copies} copies of stored ones), {report.new_stories} new stories, "
        f"{len(report.stories)} stories updated{merged}; {report.already_stored} already in the library",
        "green", "added ")


@app.command()
def add(
    inputs: list[str] = typer.Argument(None, help="Articles or feeds: files, directories, globs, JSON Lines, "
                                       "URLs, RSS/Atom feeds, or - for stdin."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    config: Path | None = typer.Option(None, "--config", help="A TOML settings file."),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help=VERBOSE_HELP),
) -> None:
    """Add articles to the story library (NEWSBRIEF_HOME); each joins a story or starts one."""
    set_verbosity(verbose)
    if not inputs:
        raise InputError("no input given: name article files, directories, URLs, feeds, or - for stdin")
    resources = _library(config)
    with ProgressBars() as progress:
        stdin = sys.stdin.buffer if sys.stdin is not None else None  # None when started without one
        report = api.add(inputs, resources, stdin=stdin, progress=progress)
    _report_added(report, as_json)


@app.command()
def watch(
    feeds: list[str] = typer.Argument(..., help="RSS or Atom feed URLs (or files)."),
    every: str = typer.Option("15m", "--every", help="Polling interval: 30s, 15m, 2h."),
    as_json: bool = typer.Option(False, "--json", help="One JSON line per feed poll."),
    config: Path | None = typer.Option(None, "--config", help="A TOML settings file."),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help=VERBOSE_HELP),
) -> None:
    """Poll feeds into the library until stopped (Ctrl-C stops cleanly)."""
    import dataclasses
    import json

    set_verbosity(verbose)
    seconds = api.parse_interval(every)
    resources = _library(config)

    def on_report(feed: str, outcome) -> None:
        if isinstance(outcome, NewsbriefError):
            say(str(outcome), "red", "poll failed: ")
        elif as_json:
            sys.stdout.write(json.dumps({"feed": feed, **dataclasses.asdict(outcome)}) + "\n")
            sys.stdout.flush()
        else:
            _report_added(outcome, False)

    say(f"{len(feeds)} feed(s) every {every}; Ctrl-C stops", "green", "watching ")
    try:
        api.watch(feeds, resources, every=seconds, on_report=on_report)
    except KeyboardInterrupt:
        say("stopped; every finished batch is stored", "green", "watch ")


@app.command()
def stories(
    since: str | None = typer.Option(None, "--since", help="Only stories active on or after this date (YYYY-MM-DD)."),
    query: str | None = typer.Option(None, "--query", "-q", help="Only stories with an article matching this text."),
    limit: int = typer.Option(50, "--limit", "-n", help="At most this many stories."),
    story_id: int | None = typer.Option(None, "--story", help="Show one story and its articles; a number merged away leads to its story."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    config: Path | None = typer.Option(None, "--config", help="A TOML settings file."),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help=VERBOSE_HELP),
) -> None:
    """List the library's stories, most recently active first."""
    from rich.table import Table

    set_verbosity(verbose)
    if limit <= 0:
        raise InputError(f"--limit must be positive, got {limit}")
    resources = _library(config)
    if story_id is not None:
        found, members = api.story(resources, _current_story(resources, story_id))
        if as_json:
            import dataclasses

            _print_json([{**dataclasses.asdict(found), "articles": [dataclasses.asdict(m) for m in members]}])
            return
        table = Table(title=f"story {found.id}: {found.title}")
        for column in ("article", "published", "outlet", "title", "copy of"):
            table.add_column(column)
        for m in members:
            table.add_row(m.id, m.published or "", m.outlet or "", m.title, m.duplicate_of or "")
        Console().print(table)
        return
    found = api.stories(resources, since=since, query=query, limit=limit)
    if as_json:
        _print_json(found)
        return
    table = Table(title=f"{len(found)} stories")
    for column in ("id", "articles", "first", "last", "title", "keywords"):
        table.add_column(column, justify="right" if column in ("id", "articles") else "left")
    for s in found:
        table.add_row(str(s.id), str(s.size), s.first_seen, s.last_seen, s.title, ", ".join(s.keywords[:6]))
    Console().print(table)


@app.command()
def search(
    text: str = typer.Argument(..., help="Words to find in stored articles."),
    limit: int = typer.Option(20, "--limit", "-n", help="At most this many articles."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    config: Path | None = typer.Option(None, "--config", help="A TOML settings file."),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help=VERBOSE_HELP),
) -> None:
    """Full-text search over the library's articles."""
    from rich.table import Table

    set_verbosity(verbose)
    resources = _library(config)
    hits = api.search(resources, text, limit=limit)
    if as_json:
        _print_json(hits)
        return
    table = Table(title=f"{len(hits)} articles")
    for column in ("story", "article", "outlet", "title", "match"):
        table.add_column(column)
    for h in hits:
        table.add_row(str(h.article.story_id), h.article.id, h.article.outlet or "", h.article.title, h.snippet)
    Console().print(table)


@app.command()
def recluster(
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
    config: Path | None = typer.Option(None, "--config", help="A TOML settings file."),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help=VERBOSE_HELP),
) -> None:
    """Re-cluster every stored article in one batch (fixes early online mistakes).

    Stories keep the numbers most of their articles had; a retired number leads to its successor.
    """
    import json

    set_verbosity(verbose)
    resources = _library(config)
    with ProgressBars() as progress:
        before, after = api.recluster(resources, progress=progress)
    if as_json:
        sys.stdout.write(json.dumps({"stories_before": before, "stories_after": after}) + "\n")
    else:
        say(f"{before} stories before, {after} after", "green", "reclustered ")


# --------------------------------------------------------------------------- entry point


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        # Building the command reads every signature: a Ctrl-C can land here too.
        command = typer.main.get_command(app)
        command.main(args=argv, prog_name="newsbrief", standalone_mode=True)
    except NewsbriefError as error:
        say(str(error), "red", "error: ")
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        say("interrupted", "red", "error: ")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # a bug: say so in one line, keep the trace for -v
        if _state["verbose"]:
            traceback.print_exc(file=sys.stderr)
        say(f"{type(exc).__name__}: {exc} (run with -v for the trace)" if not _state["verbose"]
            else f"{type(exc).__name__}: {exc}", "red", "internal error: ")
        sys.exit(EXIT_INTERNAL)
