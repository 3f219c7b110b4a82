"""The real ``newsbrief`` command in a subprocess, on files written here."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import assert_citations_valid, write_story

import newsbrief

TIMEOUT = 180


def run(args: list[str], home: Path, *, stdin: bytes | None = None, env: dict | None = None):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
    environment.update({"NEWSBRIEF_HOME": str(home), "COLUMNS": "200"}, **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "newsbrief", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=environment,
        timeout=TIMEOUT,
    )


def errors_of(result) -> str:
    stderr = result.stderr.decode("utf-8")
    assert "Traceback" not in stderr, stderr
    return stderr


def one_line_error(result, code: int) -> str:
    stderr = errors_of(result)
    assert result.returncode == code, (result.returncode, stderr)
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    return lines[0]


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def story(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("story")
    write_story(directory)
    return directory


@pytest.fixture(scope="module")
def junk(tmp_path_factory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("junk")
    empty = directory / "empty.txt"
    empty.write_bytes(b"")
    binary = directory / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    return {"empty": empty, "binary": binary, "missing": directory / "missing.txt"}


def test_version_matches_the_package(home):
    result = run(["--version"], home)
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"newsbrief {newsbrief.__version__}"


def test_json_briefing_of_good_and_bad_inputs_briefs_the_good_ones(story, junk, home):
    files = sorted(story.iterdir())
    good = [str(p) for p in files[:2]]
    bad = [str(junk["empty"]), str(junk["binary"]), str(junk["missing"])]
    # The third article comes in on stdin, named by "-".
    result = run(["brief", good[0], str(junk["empty"]), "-", str(junk["binary"]), good[1], str(junk["missing"]),
                  "--format", "json"], home, stdin=files[2].read_bytes())
    stderr = errors_of(result)
    assert result.returncode == 0, stderr
    data = json.loads(result.stdout)
    assert_citations_valid(data)
    assert len(data["sources"]) == 3
    assert {s["path"] for s in data["sources"]} - {None} == set(good)
    assert {s["origin"] for s in data["skipped"]} == set(bad)
    # Each bad input is reported on its own line on stderr, naming it.
    skip_lines = [line for line in stderr.splitlines() if line.startswith("skipped ")]
    assert len(skip_lines) == 3
    for path in bad:
        assert sum(path in line for line in skip_lines) == 1, (path, skip_lines)


def test_markdown_on_stdout_with_progress_bars_on_a_terminal_stderr(story, home):
    # stderr is a terminal (a pty): progress bars go there, stdout stays the bare briefing.
    main_fd, terminal_fd = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
    environment.update(NEWSBRIEF_HOME=str(home), TERM="xterm-256color")
    drained = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:  # the terminal closed
                return
            if not chunk:
                return
            drained.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    child = subprocess.run([sys.executable, "-m", "newsbrief", "brief", str(story)], stdout=subprocess.PIPE,
                           stderr=terminal_fd, stdin=subprocess.DEVNULL, env=environment, timeout=TIMEOUT)
    os.close(terminal_fd)
    reader.join(timeout=10)
    os.close(main_fd)
    terminal = drained.decode("utf-8", "replace")
    assert child.returncode == 0, terminal
    assert "Traceback" not in terminal
    assert "reading" in terminal and "━" in terminal, "a progress bar was drawn on the terminal"
    text = child.stdout.decode("utf-8")
    assert text.startswith("# ") and "\x1b" not in text and "━" not in text
    summary, sources = text.split("## ", 1)[0], text.split("## Sources", 1)[1]
    assert "[1]" in summary, "the summary carries citation marks"
    entries = [line for line in sources.splitlines() if line.startswith("- [")]
    assert len(entries) == 3
    for path in story.iterdir():
        assert sum(str(path) in entry for entry in entries) == 1, (path, entries)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def test_html_written_atomically_with_o(story, junk, home, tmp_path):
    target = tmp_path / "brief.html"
    target.write_text("previous briefing", encoding="utf-8")
    # A run with nothing usable leaves the previous file exactly as it was.
    failed = run(["brief", str(junk["empty"]), "-f", "html", "-o", str(target)], home)
    assert failed.returncode == 2
    assert target.read_text(encoding="utf-8") == "previous briefing"
    result = run(["brief", str(story), "-f", "html", "-o", str(target)], home)
    assert result.returncode == 0, errors_of(result)
    assert result.stdout == b""
    page = target.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(page)
    assert parser.tags[0] == "html" and "article" in parser.tags and "script" in parser.tags
    assert sorted(os.listdir(tmp_path)) == ["brief.html"], "no temporary file left behind"


@pytest.mark.parametrize(
    "case, needle",
    [("empty", "empty"), ("binary", "binary"), ("missing", "no such file")],
)
def test_only_bad_inputs_is_one_line_error_and_exit_2(case, needle, junk, home):
    result = run(["brief", str(junk[case])], home)
    line = one_line_error(result, 2)
    assert "no usable article" in line
    assert str(junk[case]) in line and needle in line.lower(), line
    assert result.stdout == b""


def test_no_inputs_at_all(home):
    line = one_line_error(run(["brief"], home), 2)
    assert "no input" in line


def test_unknown_format_fails_before_reading(story, home, tmp_path):
    target = tmp_path / "out.pdf"
    line = one_line_error(run(["brief", str(story), "--format", "pdf", "-o", str(target)], home), 3)
    assert "pdf" in line
    assert not target.exists()


def test_output_into_missing_directory(story, home, tmp_path):
    target = tmp_path / "no" / "such" / "dir" / "brief.md"
    line = one_line_error(run(["brief", str(story), "-o", str(target)], home), 1)
    assert str(target) in line and "directory does not exist" in line


def test_flags_override_environment(story, home):
    # A bad embedder in the environment is a config error (exit 3) ...
    bad = run(["brief", str(story)], home, env={"NEWSBRIEF_EMBEDDER": "word2vec"})
    assert "word2vec" in one_line_error(bad, 3)
    # ... that the command-line flag overrides.
    good = run(["brief", str(story), "--embedder", "tfidf", "-f", "json"], home, env={"NEWSBRIEF_EMBEDDER": "word2vec"})
    assert good.returncode == 0, errors_of(good)
    assert_citations_valid(json.loads(good.stdout))


def test_bad_config_file_is_one_line(story, home, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("words = [not toml", encoding="utf-8")
    line = one_line_error(run(["brief", str(story), "--config", str(config)], home), 3)
    assert str(config) in line


def test_bad_word_budget_and_directory_output_fail_before_the_work(story, home, tmp_path):
    assert "--words" in one_line_error(run(["brief", str(story), "--words", "0"], home), 2)
    line = one_line_error(run(["brief", str(story), "-o", str(tmp_path)], home), 1)
    assert str(tmp_path) in line and "is a directory" in line


@pytest.mark.parametrize("delay", [0.2, 3.0])
def test_ctrl_c_exits_130_without_a_traceback(delay, home):
    # The command waits on stdin that never comes: Ctrl-C during the imports (0.2 s) or the read.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
    environment["NEWSBRIEF_HOME"] = str(home)
    script = Path(sys.executable).with_name("newsbrief")
    child = subprocess.Popen([str(script), "brief", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=environment)
    time.sleep(delay)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=TIMEOUT)
    assert child.returncode == 130, err.decode()
    assert b"Traceback" not in err and out == b""
