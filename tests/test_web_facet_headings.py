"""The search page names a facet only when it has a value to choose: a search
whose reviews name no board shows no empty "Board" heading (found on an
Offensive Weapons Homicide Review, which no safeguarding board commissions)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from storfa.app import Storfa
from storfa.config import Settings
from storfa.web.app import create_app

REVIEW = """# Offensive Weapons Homicide Review: Jayden (OWHR 2025/01)

Marlbridge Community Safety Partnership

## Summary of key events

On 8 February 2022 a zorbleflax was found in Jayden's bag at school.
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    base = tmp_path_factory.mktemp("facet-headings")
    (base / "in").mkdir()
    (base / "in" / "owhr.md").write_text(REVIEW, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("STORFA_DATABASE_URL", raising=False)
        mp.delenv("STORFA_SEARCH_ENGINE", raising=False)
        storfa = Storfa(Settings.from_env(data_dir=base / "data", workers=1))
        storfa.ingest.ingest([base / "in"])
        with TestClient(create_app(storfa)) as test_client:
            yield test_client
        storfa.close()


def test_no_board_facet_heading_without_a_board(client: TestClient) -> None:
    html = client.get("/search", params={"q": "zorbleflax"}).text
    assert "Offensive Weapons Homicide Review</a>" in html  # the type facet, named
    assert "<h3>Review type</h3>" in html and "<h3>Board</h3>" not in html

