"""Schemathesis against /api/v1/openapi.json on the ASGI app, as an
administrator (a token): no request the schema describes, valid or not,
gets a 5xx, and every response matches what the schema says (status codes,
content types, bodies).

Bounded and repeatable: a few derandomised examples per operation, so the
run over all ~95 operations stays near a minute in the default suite; set
STORFA_SCHEMATHESIS_EXAMPLES=25 (say) for a deeper run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from webworld import REVIEWS, World, backend_env, build_world

# Recommendations in every review, so the register's operations meet real ones.
EXTRA = ("\n## Recommendations\n\n1. The police should record the child's voice in every "
         "assessment.\n2. The health board must follow up missed appointments with the GP.\n")
# Operations that render a document or a picture (a second or so each): fewer
# examples, so the whole run stays well inside the default suite's budget.
SLOW = {"POST /reports/briefing.{fmt}", "POST /reports/thematic.{fmt}",
        "GET /analysis/map.png", "GET /analysis/export/{name}.{fmt}",
        "POST /analysis/suggest", "GET /reports/recurrence",
        "GET /recommendations/{rec_id}/follow-through"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with backend_env("sqlite", None):
        base = tmp_path_factory.mktemp("schemathesis")
        site = build_world(base / "data", base / "reviews",
                           extra={level: EXTRA for level in REVIEWS})
        yield site
        site.close()


@pytest.fixture(scope="module")
def real(world: World) -> dict[str, list[object]]:
    """Path parameter → values naming something that exists."""

    recs = world.storfa.register().listing(None)
    assert recs, "the world's reviews have recommendations"
    return {"key": list(world.keys.values()), "codebook": ["best-practice"],
            "rec_id": [r.id for _, r in recs]}


# Positive cases follow the schema; negative ones break it and must be refused
# with a 4xx, never a 5xx. Schema-valid requests may still be refused with a
# 4xx problem (a query the query language cannot read, a search with neither
# q nor a filter, a level that needs organisations): OpenAPI cannot say so,
# so positive_data_acceptance is not checked.
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
_DEEP = os.environ.get("STORFA_SCHEMATHESIS_EXAMPLES", "")
# Examples per operation and phase (negative cases cost more to generate).
EXAMPLES = ({m: int(_DEEP) for m in MODES} if _DEEP.isdigit() else
            {GenerationMode.POSITIVE: 5, GenerationMode.NEGATIVE: 3})


def _unbreakable(operation: Any) -> bool:
    """No body, query or header, and only plain strings in the path: nothing
    a request could get wrong, so there is no negative case to send."""
    if list(operation.query) or list(operation.headers) or list(operation.body):
        return False
    return all(p.definition.get("schema") in ({"type": "string"},
                                              {"type": "string", "title": p.definition.get(
                                                  "schema", {}).get("title")})
               for p in operation.path_parameters)


@pytest.mark.parametrize("mode", MODES, ids=[m.value for m in MODES])
def test_api_has_no_server_errors_and_matches_its_schema(
        world: World, real: dict[str, list[object]], mode: GenerationMode) -> None:
    # Loaded here rather than with schemathesis.pytest.from_fixture, whose
    # subtests do not run under this pytest; each operation runs as its own
    # Hypothesis test instead, and failures are collected per operation.
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", world.app)
    headers = world.bearer("administrator")
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 60, [op.label for op in operations]
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and _unbreakable(operation):
            continue  # Hypothesis would search for seconds to say so (Unsatisfiable)
        excluded = [positive_data_acceptance]
        if any(body.media_type == "multipart/form-data" for body in operation.body):
            # A multipart part is bytes: a "number" where the schema says a
            # file is still a file, which the operation checks itself (type,
            # size). Schemathesis would call accepting it a violation.
            excluded.append(negative_data_rejection)

        # Random review keys, recommendation ids and codebook names would only
        # ever meet 404s: half the positive cases name a real one. Not the
        # negative ones: a real value would mend a path made invalid on purpose.
        @given(case=operation.as_strategy(generation_mode=mode), pick=st.booleans(),
               which=st.integers(min_value=0, max_value=100))
        @settings(max_examples=max(1, EXAMPLES[mode] // 5) if operation.label in SLOW
                  else EXAMPLES[mode], derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: Case, pick: bool, which: int) -> None:
            for name, values in real.items():
                if (mode is GenerationMode.POSITIVE and pick and values
                        and name in (case.path_parameters or {})):
                    case.path_parameters[name] = values[which % len(values)]
            # run() is called in this iteration, so `excluded` is the current one.
            case.call_and_validate(headers=headers, excluded_checks=excluded)  # noqa: B023

        try:
            run()
        except Unsatisfiable:
            # Nothing in this operation can be made invalid (a bare string in
            # the path, no parameters at all): there is no negative case to send.
            assert mode is GenerationMode.NEGATIVE, operation.label
        except (Exception, BaseExceptionGroup) as exc:  # each operation's, not just the first
            failures[operation.label] = f"{type(exc).__name__}: {exc}"[:3000]
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
