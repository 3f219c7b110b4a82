"""Briefing jobs for the web server: run in the background, polled for progress.

A briefing takes seconds of CPU, so the server does not hold a request open
for it: it queues a :class:`Job`, answers at once with the job's id, and the
page (or an API client) polls the job until it is done. Jobs live in memory,
the newest ``keep`` of them; a restart forgets them (stories in the library
are what persists).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from .errors import ConfigError, InputError, ModelError, NewsbriefError, NotFoundError, StoreError
from .records import Briefing

log = logging.getLogger(__name__)

#: work(progress) -> result (a Briefing, or what adding to the library reports);
#: progress(stage, done, total) as in :mod:`newsbrief.api`.
Work = Callable[[Callable[[str, int, int], None]], Any]


class BriefingTimeout(NewsbriefError):
    """A briefing ran past ``settings.briefing_timeout``."""


class QueueFull(NewsbriefError):
    """Too many briefings are waiting to run."""


class JobFailed(NewsbriefError):
    """A job ended in an error; ``status`` is the HTTP status that fits it."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Job:
    id: str
    created: float
    timeout: float
    status: str = "queued"  # queued | running | done | failed
    stage: str = "queued"
    done: int = 0
    total: int = 0
    error: str | None = None
    error_status: int = 0  # the HTTP status that fits the failure
    result: Any = None
    started: float | None = None
    finished: float | None = None
    _event: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def briefing(self) -> Briefing | None:
        return self.result if isinstance(self.result, Briefing) else None

    @property
    def deadline(self) -> float | None:
        return None if self.started is None else self.started + self.timeout

    def check_deadline(self) -> None:
        """Mark a running job failed once it is past its deadline (the thread stops at its next stage)."""
        if self.status == "running" and self.deadline is not None and time.monotonic() > self.deadline:
            self._fail(f"the briefing took longer than {self.timeout:g} s and was stopped", 504)

    def _fail(self, message: str, status: int) -> None:
        if self.status in ("done", "failed"):
            return
        self.status, self.error, self.error_status = "failed", message, status
        self.finished = time.monotonic()
        self._event.set()

    def wait(self, seconds: float) -> bool:
        """Block until the job finishes or ``seconds`` pass; True when finished."""
        end = time.monotonic() + seconds
        while not self._event.wait(timeout=min(0.25, max(0.0, end - time.monotonic()))):
            self.check_deadline()
            if time.monotonic() >= end:
                return self._event.is_set()
        return True

    def outcome(self, seconds: float) -> Any:
        """Wait up to ``seconds`` for the result; a failure (or the wait running out) raises JobFailed."""
        if not self.wait(seconds):
            raise JobFailed(f"the job took longer than {seconds:g} s", 504)
        if self.status == "failed":
            raise JobFailed(self.error or "the job failed", self.error_status or 500)
        return self.result

    def as_dict(self) -> dict:
        self.check_deadline()
        out: dict = {
            "id": self.id,
            "status": self.status,
            "progress": {"stage": self.stage, "done": self.done, "total": self.total},
        }
        if self.error:
            out["error"] = {"status": self.error_status, "message": self.error}
        return out


class JobRunner:
    """A small pool of briefing threads with a bounded queue and in-memory results."""

    def __init__(self, *, workers: int = 1, max_queued: int = 8, keep: int = 200) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="briefing")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._max_queued = max_queued
        self._keep = keep

    def submit(self, work: Work, *, timeout: float) -> Job:
        with self._lock:
            waiting = sum(1 for j in self._jobs.values() if j.status in ("queued", "running"))
            if waiting >= self._max_queued:
                raise QueueFull(f"{waiting} briefings are already waiting; try again in a minute")
            job = Job(id=uuid.uuid4().hex[:16], created=time.monotonic(), timeout=timeout)
            self._jobs[job.id] = job
            self._forget_old()
        self._pool.submit(self._run, job, work)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.status in ("done", "failed")]
        for key in finished[: max(0, len(self._jobs) - self._keep)]:
            del self._jobs[key]

    def _run(self, job: Job, work: Work) -> None:
        job.status, job.stage, job.started = "running", "starting", time.monotonic()

        def progress(stage: str, done: int, total: int) -> None:
            job.check_deadline()
            if job.status == "failed":  # timed out: stop at this stage boundary
                raise BriefingTimeout(job.error or "stopped")
            job.stage, job.done, job.total = stage, done, total

        try:
            result = work(progress)
        except BriefingTimeout:
            return
        except NewsbriefError as error:
            job._fail(str(error), status_for(error))
            return
        except Exception as error:  # a bug: keep the server up, log the traceback
            log.exception("briefing job %s failed", job.id)
            job._fail(f"internal error while briefing ({type(error).__name__})", 500)
            return
        job.check_deadline()
        if job.status == "running":
            job.result, job.status, job.stage = result, "done", "done"
            job.finished = time.monotonic()
            job._event.set()


def status_for(error: NewsbriefError) -> int:
    """The HTTP status that fits a library error."""
    if isinstance(error, JobFailed):
        return error.status
    if isinstance(error, BriefingTimeout):
        return 504
    if isinstance(error, QueueFull):
        return 503
    if isinstance(error, InputError):
        return 422
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, (StoreError, ModelError, ConfigError)):
        return 500
    return 400
