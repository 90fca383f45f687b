"""What runs after a file is stored, registered once, in one order.

`storfa ingest`, the queue worker (so web uploads too) and `storfa demo` all
call `after_store` once the text is stored and indexed, so every review is
searchable by keyword before any of this runs. The steps, in order:

1. recommendations: extract the stored reviews' recommendations into the
   register and code them to the cpr-learning themes;
2. embeddings: embed passages without a vector, and keep their practice
   scores beside them (search by meaning; skipped when STORFA_EMBED=off);
3. recurrence: regroup the register's recommendations by meaning if they
   changed, and store the grouping (the recurrence page only reads it).

A failing step is reported (its outcome names the error and the command that
redoes it) and never undoes the ingest or stops the later steps; each step
is idempotent, so `redo` catches up. Read paths never run these steps: the
register and the recurrence page say what is missing instead
(docs/architecture.md, "After a file is stored")."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storfa.app import Storfa
    from storfa.domain.jobs import Job
    from storfa.ingest.jobs import TaskHandler
    from storfa.recommendations.register import RecommendationRegister

log = logging.getLogger(__name__)

Say = Callable[[str], None]
Count = Callable[[int], None]


@dataclass
class StepRun:
    """What a step is given: the reviews just stored and where to report."""

    app: Storfa
    review_keys: tuple[str, ...]
    actor: str
    progress: Count | None = None
    on_total: Count | None = None
    # Problems that did not stop the step (one review of many failing).
    problems: list[str] = field(default_factory=list)
    # Reviews whose recommendations were extracted as they were stored
    # (AsStored), with how many were found: the step counts, not redoes, them.
    extracted: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    name: str
    doing: str  # for progress lines: "Extracting recommendations"
    redo: str  # the command that catches up after a failure
    run: Callable[[StepRun], int]  # returns how much it did
    wanted: Callable[[Storfa], bool] = lambda _app: True


@dataclass(frozen=True)
class StepOutcome:
    step: str
    done: int = 0
    skipped: bool = False
    error: str | None = None
    redo: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None

    def as_json(self) -> dict[str, Any]:
        return {"step": self.step, "done": self.done, "skipped": self.skipped,
                "error": self.error, "redo": self.redo if self.error else None}


@dataclass(frozen=True)
class AfterStore:
    outcomes: tuple[StepOutcome, ...]

    def done(self, step: str) -> int:
        return next((o.done for o in self.outcomes if o.step == step), 0)

    @property
    def failures(self) -> list[StepOutcome]:
        return [o for o in self.outcomes if not o.ok]

    def as_json(self) -> dict[str, Any]:
        return {"steps": [o.as_json() for o in self.outcomes],
                "failed": [o.step for o in self.failures]}


class StepFailed(Exception):
    """A step finished some of its work and failed the rest."""


def _register(app: Storfa) -> RecommendationRegister:
    from storfa.recommendations.register import RecommendationRegister
    from storfa.storage import repositories

    # No on_change: the recurrence step regroups once for the batch.
    return RecommendationRegister(app.store, repositories.recommendations(app.store))


def _recommendations(run: StepRun) -> int:
    register = _register(run.app)
    found = 0
    for key in dict.fromkeys(run.review_keys):
        if key in run.extracted:
            found += run.extracted[key]
        else:
            try:
                found += sum(register.extract(key, run.actor).values())
            except Exception as exc:  # one review's failure leaves the others extracted
                log.exception("extracting the recommendations of %s failed", key)
                run.problems.append(f"{key}: {type(exc).__name__}: {exc}")
        if run.progress:
            run.progress(1)
    if run.problems:
        raise StepFailed("; ".join(run.problems))
    return found


class AsStored:
    """The recommendations step done early, one review at a time as each file
    of a batch is stored: the main process does it while the parse workers
    read the rest of the batch, instead of alone on one core after it. What
    fails here is left to the step after the batch, which tries again and
    reports it; what succeeds, the step counts without redoing
    (`after_store(extracted=...)`)."""

    def __init__(self, app: Storfa, actor: str) -> None:
        self.register = _register(app)
        self.actor = actor
        self.extracted: dict[str, int] = {}
        self._clustering = False

    def __call__(self, review_key: str) -> None:
        if not self._clustering:
            from storfa.recommendations.recurrence import load_clustering

            load_clustering()  # for the regrouping after the batch
            self._clustering = True
        self.extracted.pop(review_key, None)  # a later version of it: counted anew
        try:
            found = sum(self.register.extract(review_key, self.actor).values())
        except Exception:
            log.info("recommendations of %s left for after the batch", review_key,
                     exc_info=True)
            return
        self.extracted[review_key] = found


def _embeddings(run: StepRun) -> int:
    done: int = run.app.embeddings.backfill(progress=run.progress, on_total=run.on_total)
    return done


def _recurrence(run: StepRun) -> int:
    from storfa.recommendations.recurrence import regroup

    return regroup(run.app)


STEPS: tuple[Step, ...] = (
    Step("recommendations", "Extracting recommendations",
         "storfa recommendations extract --pending", _recommendations),
    Step("embeddings", "Embedding passages", "storfa reindex --embeddings", _embeddings,
         wanted=lambda app: app.settings.embed != "off"),
    Step("recurrence", "Grouping recurring recommendations",
         "storfa recommendations extract --pending", _recurrence),
)


def after_store(app: Storfa, review_keys: Sequence[str], actor: str, *,
                skip: Sequence[str] = (), say: Say | None = None,
                on_step: Callable[[Step], None] | None = None,
                progress: Count | None = None, on_total: Count | None = None,
                extracted: Mapping[str, int] | None = None) -> AfterStore:
    """Run every step for the reviews just stored (`review_keys` may be empty:
    the embedding step still back-fills what an earlier run left). `skip`
    names steps not to run (`storfa ingest --no-embed`); `say` gets one line
    per failure; `on_step`, `progress` and `on_total` drive a progress bar;
    `extracted` holds the reviews an AsStored already extracted."""
    keys = tuple(review_keys)
    outcomes = []
    for step in STEPS:
        if step.name in skip or not step.wanted(app):
            outcomes.append(StepOutcome(step.name, skipped=True))
            continue
        if on_step:
            on_step(step)
        run = StepRun(app, keys, actor, progress, on_total, extracted=extracted or {})
        if on_total and step.name == "recommendations":
            on_total(len(set(keys)))
        try:
            outcomes.append(StepOutcome(step.name, step.run(run)))
        except Exception as exc:
            # The review is stored and searchable by keyword; only this step waits.
            if not isinstance(exc, StepFailed):  # (a StepFailed's causes are logged)
                log.exception("after-store step %s failed", step.name)
            error = str(exc) if isinstance(exc, StepFailed) else f"{type(exc).__name__}: {exc}"
            outcomes.append(StepOutcome(step.name, error=error, redo=step.redo))
            if say:
                say(f"{step.doing} failed ({error}); the files are stored and searchable "
                    f"by keyword; run `{step.redo}`.")
    return AfterStore(tuple(outcomes))


def catch_up(app: Storfa, actor: str, say: Say | None = None,
             progress: Count | None = None, on_total: Count | None = None) -> AfterStore:
    """For a store with reviews never extracted (an older store, or a failed
    step): extract those, then regroup. What `storfa recommendations extract
    --pending` and the register page's button (as a job) run."""

    pending = app.register().unextracted()
    return after_store(app, pending, actor, skip=("embeddings",), say=say,
                       progress=progress, on_total=on_total)


# The job kind of a catch-up asked for from the web (ingest/jobs.py).
CATCH_UP = "catch_up"


def request_catch_up(app: Storfa, actor: str) -> Job:
    """Queue a catch-up for a worker, or return the one already waiting or
    running: the register's and recurrence page's action, and the API's."""
    job = app.jobs.get(app.jobs.enqueue_single(CATCH_UP, "recommendations catch-up", {}, actor))
    assert job is not None  # just read or written
    return job


def catching_up(app: Storfa) -> Job | None:
    """The catch-up waiting or running, if any, for the pages to show."""
    return app.jobs.active(CATCH_UP)


def catch_up_task(app: Storfa) -> TaskHandler:
    """The worker's handler for `catch_up` jobs: the register page's button
    runs in a worker, not in its request, reporting reviews done of total."""

    def perform(job: Job, report: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        figures = {"done": 0, "total": 0}

        def total(n: int) -> None:
            figures["total"] = n
            report(dict(figures))

        def step(n: int) -> None:
            figures["done"] += n
            report(dict(figures))

        outcome = catch_up(app, job.actor, progress=step, on_total=total)
        return {**figures, **outcome.as_json()}

    return perform


def recurrence_changed(app: Storfa) -> None:
    """After a correction to the register: regroup. A failure is logged, not
    raised: the correction is stored, and the recurrence page says the
    grouping is out of date and offers to recompute it."""
    try:
        _recurrence(StepRun(app, (), ""))
    except Exception:
        log.exception("regrouping recommendations after a correction failed")
