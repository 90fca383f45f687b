"""The language model's cached copy: the first load keeps English's and
Welsh's parts of py3langid's model uncompressed in storfa's cache, and every
later load reads them; both read every text exactly as py3langid's own
loading does, and a cache that is broken or cannot be written is only slower."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from storfa.ingest import language

SAMPLES = [
    "Roedd hyn yn arfer da iawn", "This was good practice.", "Argymhellion",
    "Recommendations", "Bwrdd Diogelu Gogledd Cymru", "Child Practice Review",
    "Dangosodd yr ymarferwyr chwilfrydedd proffesiynol", "2.3.1 Adult J", "", "Ffion",
]


@pytest.fixture(scope="module")
def reference() -> Any:
    # py3langid's own loading, restricted as storfa restricts it.
    identifier = LanguageIdentifier.from_model_file(MODEL_DIR / MODEL_FILE)
    identifier.set_languages(list(language.LANGUAGES))
    return identifier


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("STORFA_CACHE", str(tmp_path))
    language.load_model.cache_clear()
    yield tmp_path
    language.load_model.cache_clear()


def _load() -> Any:
    language.load_model.cache_clear()
    return language.load_model()


def test_the_first_load_keeps_a_copy_and_later_loads_read_it(cache: Path,
                                                             reference: Any) -> None:
    first = _load()
    (copy,) = cache.glob("langid-*-en-cy.npz")
    stamp = copy.stat().st_mtime_ns
    second = _load()
    assert copy.stat().st_mtime_ns == stamp  # read, not written again
    assert first.nb_classes == second.nb_classes == reference.nb_classes
    for text in SAMPLES:
        assert first.classify(text) == second.classify(text) == reference.classify(text)


@pytest.fixture(scope="module")
def cached(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STORFA_CACHE", str(tmp_path_factory.mktemp("langid")))
        _load()
        yield _load()  # read back from the copy
    language.load_model.cache_clear()


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_the_cached_copy_reads_any_text_as_py3langid_does(cached: Any, reference: Any,
                                                           text: str) -> None:
    assert cached.classify(text) == reference.classify(text)


def test_a_broken_copy_is_only_slower(cache: Path, reference: Any) -> None:
    _load()
    (copy,) = cache.glob("langid-*.npz")
    copy.write_bytes(b"not a model")
    again = _load()
    assert again.classify(SAMPLES[0]) == reference.classify(SAMPLES[0])
    assert copy.stat().st_size > 1_000_000  # made again


def test_a_copy_cut_short_is_only_slower(cache: Path, reference: Any) -> None:
    # A full disk, or a copy from a process killed mid-write by hand: a
    # truncated zip is no OSError, and must not fail an ingest.
    _load()
    (copy,) = cache.glob("langid-*.npz")
    copy.write_bytes(copy.read_bytes()[: copy.stat().st_size // 2])
    assert _load().classify(SAMPLES[0]) == reference.classify(SAMPLES[0])
    assert not list(cache.glob("*.tmp"))  # no half-written file left beside it


def test_a_cache_that_cannot_be_written_is_only_slower(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: Any) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("STORFA_CACHE", str(blocked / "cache"))
    try:
        loaded = _load()
        assert loaded.classify(SAMPLES[1]) == reference.classify(SAMPLES[1])
    finally:
        language.load_model.cache_clear()

