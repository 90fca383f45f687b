"""Builds storfa's services from settings: the one entry the CLI and web use."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any

from storfa.config import Settings
from storfa.domain.errors import StorfaError
from storfa.ingest.limits import MB, ExtractLimits
from storfa.search.engine import ENGINES, SearchEngine
from storfa.storage import Store, open_store, repositories
from storfa.storage.files import BlobStore

if TYPE_CHECKING:
    from storfa.accounts.service import AccountService
    from storfa.analysis.casevars import CaseVariableService
    from storfa.coding.autocode import CodingService
    from storfa.coding.codebook_store import CodebookService
    from storfa.coding.runs import AutoCodingRuns
    from storfa.ingest.jobs import TaskHandler
    from storfa.recommendations.register import RecommendationRegister
    from storfa.referrals.service import ReferralService
    from storfa.reviews.service import ReviewService
    from storfa.search.facets import ReviewCatalogue
    from storfa.search.semantic import Reranker
    from storfa.search.service import SearchService
    from storfa.storage.repositories import Jobs


@dataclass
class Storfa:
    settings: Settings

    @cached_property
    def store(self) -> Store:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        return open_store(self.settings)

    @cached_property
    def blobs(self) -> BlobStore:
        return BlobStore(self.settings.originals_dir)

    @cached_property
    def index(self) -> SearchEngine:
        """The search engine chosen by STORFA_SEARCH_ENGINE (docs: search/engine.py)."""
        name = self.settings.search_engine.strip().casefold()
        if name not in ENGINES:
            raise StorfaError(f"STORFA_SEARCH_ENGINE must be one of {', '.join(ENGINES)} "
                              f"(got {self.settings.search_engine!r}).")
        if name == "postgres":
            from storfa.search.fts_postgres import PostgresSearch

            return PostgresSearch(self.store)
        from storfa.search.index_tantivy import SearchIndex

        return SearchIndex(self.settings.index_dir)

    @cached_property
    def limits(self) -> ExtractLimits:
        s = self.settings
        return ExtractLimits(max_file_bytes=s.max_file_mb * MB, max_pages=s.max_pages,
                             cpu_seconds=s.parse_cpu_seconds,
                             memory_bytes=s.parse_memory_mb * MB)

    @cached_property
    def ingest(self) -> Any:
        from storfa.ingest.pipeline import IngestService

        # The pipeline only calls `sync(store)`, which every SearchEngine has.
        return IngestService(self.store, self.blobs, self.index, self.limits,
                             self.settings.worker_count)

    @cached_property
    def search(self) -> SearchService:
        from storfa.search.service import SearchService

        def practice_ranker() -> Reranker:
            # Imported when search by meaning is first used: it loads numpy and
            # the classifier, which a keyword search does not need.
            from storfa.coding.practice_rank import PracticeRanker

            return PracticeRanker(self.store)

        # Questions about practice rank coded examples of it first (coding/practice_rank.py).
        return SearchService(self.store, self.index, make_reranker=practice_ranker)

    @cached_property
    def catalogue(self) -> ReviewCatalogue:
        from storfa.search.facets import ReviewCatalogue

        return ReviewCatalogue(self.store)

    @cached_property
    def accounts(self) -> AccountService:
        from storfa.accounts.service import AccountService

        return AccountService(repositories.accounts(self.store), self.store,
                              admin_totp_required=self.settings.admin_totp != "optional")

    @cached_property
    def reviews(self) -> ReviewService:
        """Correcting metadata and changing access: the use cases every adapter calls."""
        from storfa.disclosure.publication import check_publication
        from storfa.reviews.service import ReviewService

        return ReviewService(self.store, self.index, self.accounts, self.catalogue,
                             gate=partial(check_publication, self))

    @cached_property
    def embeddings(self) -> Any:
        """Back-fills passage vectors (search/embedding_service.py)."""
        from storfa.coding.practice_rank import PracticeScores
        from storfa.search.embedding_service import EmbeddingService

        # The classifier's outputs are kept beside each new vector for ranking by practice.
        return EmbeddingService(self.store, scorer=PracticeScores())

    @cached_property
    def codebooks(self) -> CodebookService:
        """Codebooks: the built-in ones, and stored copies that override them."""
        from storfa.coding.codebook_store import CodebookService

        return CodebookService(self.store)

    @cached_property
    def coding(self) -> CodingService:
        """Extracts, suggestions, decisions and auto-coding (coding/autocode.py)."""
        from storfa.coding.autocode import CodingService

        return CodingService(self.store, repositories.extracts(self.store),
                             codebooks=self.codebooks, models=self.settings.models_dir)

    @cached_property
    def jobs(self) -> Jobs:
        """The one job queue: files to ingest, and long work started from the web."""
        return repositories.jobs(self.store)

    @cached_property
    def autocoding(self) -> AutoCodingRuns:
        """Auto-coding runs, as jobs on the queue (coding/runs.py)."""
        from storfa.coding.runs import AutoCodingRuns

        return AutoCodingRuns(self.jobs)

    def job_tasks(self) -> dict[str, TaskHandler]:
        """What a worker runs for each kind of job that is not a file to ingest."""
        from storfa.coding.runs import KIND, autocode_task
        from storfa.ingest.after_store import CATCH_UP, catch_up_task

        return {KIND: autocode_task(lambda: self.coding), CATCH_UP: catch_up_task(self)}

    @cached_property
    def casevars(self) -> CaseVariableService:
        """Case variables: suggest, set, confirm, reject; the coded cases. Built
        once, so the embedding model its second suggester loads is loaded once."""
        from storfa.analysis.casevars import CaseVariableService

        return CaseVariableService(self.store, repositories.case_variables(self.store))

    def register(self, audit_detail: dict[str, Any] | None = None) -> RecommendationRegister:
        """The recommendations register, auditing with the caller's detail
        (made per caller, so not cached)."""
        from storfa.ingest.after_store import recurrence_changed
        from storfa.recommendations.register import RecommendationRegister

        return RecommendationRegister(self.store, repositories.recommendations(self.store),
                                      audit_detail, on_change=lambda: recurrence_changed(self))

    @cached_property
    def referrals(self) -> ReferralService:
        """The referral portal and indicators; built once, so the population
        table is read once and the counts it caches live as long as the app."""
        from pathlib import Path

        from storfa.referrals.mail import mail_sender
        from storfa.referrals.population import load_population
        from storfa.referrals.service import ReferralService

        s = self.settings
        return ReferralService(
            repositories.referrals(self.store), repositories.accounts(self.store),
            load_population(Path(s.population_file) if s.population_file else None),
            mail_sender(s.mail_sender, s.data_dir), s.referral_retention_days, s.suppress_below)

    def check(self) -> list[str]:
        """Problems found in the store and in the index's agreement with it."""
        problems = self.store.integrity_problems()
        self.index.sync(self.store)
        in_db = self.store.passage_counts()
        in_index = self.index.passage_counts()
        keys = self.store.review_keys()
        for row in sorted(set(in_db) | set(in_index)):
            a, b = in_db.get(row, 0), in_index.get(row, 0)
            if a != b:
                problems.append(
                    f"review {keys.get(row, row)}: {a} passages in the database, {b} in the index")
        return problems

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()
