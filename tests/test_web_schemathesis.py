"""Schemathesis against /api/v1/openapi.json on the ASGI app, as an
administrator (a token): no request the schema describes, valid or not,
gets a 5xx, and every response matches what the schema says (status codes,
content types, bodies).

Bounded and repeatable: a few dozen derandomised examples per operation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from webworld import World, backend_env, build_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with backend_env("sqlite", None):
        base = tmp_path_factory.mktemp("schemathesis")
        site = build_world(base / "data", base / "reviews")
        yield site
        site.close()


# Positive cases follow the schema; negative ones break it and must be refused
# with a 4xx, never a 5xx. Schema-valid requests may still be refused with a
# 4xx problem (a query the query language cannot read, a search with neither
# q nor a filter, a level that needs organisations): OpenAPI cannot say so,
# so positive_data_acceptance is not checked.
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


@pytest.mark.parametrize("mode", MODES, ids=[m.value for m in MODES])
def test_api_has_no_server_errors_and_matches_its_schema(world: World,
                                                         mode: GenerationMode) -> None:
    # Loaded here rather than with schemathesis.pytest.from_fixture, whose
    # subtests do not run under this pytest; each operation runs as its own
    # Hypothesis test instead, and failures are collected per operation.
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", world.app)
    headers = world.bearer("administrator")
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8, [op.label for op in operations]
    for operation in operations:

        # Random review keys would only ever meet 404s: half the cases name a real one.
        @given(case=operation.as_strategy(generation_mode=mode),
               real=st.sampled_from([None, *world.keys.values()]))
        @settings(max_examples=25, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: Case, real: str | None) -> None:
            if real and case.path_parameters and "key" in case.path_parameters:
                case.path_parameters["key"] = real
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        try:
            run()
        except Unsatisfiable:
            # Nothing in this operation can be made invalid (a bare string in
            # the path, no parameters at all): there is no negative case to send.
            assert mode is GenerationMode.NEGATIVE, operation.label
        except (Exception, BaseExceptionGroup) as exc:  # each operation's, not just the first
            failures[operation.label] = f"{type(exc).__name__}: {exc}"[:3000]
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
