"""The hashed lock files cover pyproject.toml (issue 21 item 6; docs/dependencies.md).

scripts/setup.sh installs from requirements.lock (requirements-dev.lock with
--dev) with --require-hashes and --no-deps, so a pin that is in pyproject.toml
but missing from the lock, or locked at another version, would silently not be
what runs. Regenerate with scripts/lock.sh after changing pyproject.toml.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
# The CPU build of torch is installed by name after the lock (setup.sh): PyPI's
# file for the same version is a CUDA build, so no hash could match both.
UNLOCKED = {"torch"}
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def _lock(name: str) -> dict[str, tuple[str, int]]:
    """Package -> (version, number of hashes) from a pip-compile lock file."""
    pins: dict[str, tuple[str, int]] = {}
    current = ""
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        if match := _PIN.match(line):
            current = canonicalize_name(match[1])
            pins[current] = (match[2], 0)
        elif current and "--hash=sha256:" in line:
            version, hashes = pins[current]
            pins[current] = (version, hashes + line.count("--hash=sha256:"))
        elif not line.startswith(" "):
            current = ""
    return pins


def _pinned(requirements: list[str]) -> dict[str, str]:
    out = {}
    for text in requirements:
        req = Requirement(text)
        (spec,) = req.specifier  # pyproject pins every dependency with ==
        assert spec.operator == "==", text
        out[canonicalize_name(req.name)] = spec.version
    return out


def _project() -> dict[str, dict[str, str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {"runtime": _pinned(project["dependencies"]),
            "dev": _pinned(project["optional-dependencies"]["dev"])}


@pytest.mark.parametrize(("lock", "groups"), [
    ("requirements.lock", ("runtime",)),
    ("requirements-dev.lock", ("runtime", "dev")),
])
def test_the_lock_pins_every_dependency_of_pyproject(lock: str, groups: tuple[str, ...]
                                                     ) -> None:
    pins, project = _lock(lock), _project()
    wanted = {name: version for group in groups for name, version in project[group].items()}
    missing = sorted(set(wanted) - set(pins) - UNLOCKED)
    assert not missing, f"{lock} lacks {missing}: run scripts/lock.sh"
    stale = {n: (v, pins[n][0]) for n, v in wanted.items() if n in pins and pins[n][0] != v}
    assert not stale, f"{lock} pins other versions (pyproject, lock): {stale}; run scripts/lock.sh"
    assert not UNLOCKED & set(pins), f"{lock} must leave {UNLOCKED} to setup.sh"
    unhashed = sorted(n for n, (_, hashes) in pins.items() if hashes == 0)
    assert not unhashed, f"{lock}: no hash for {unhashed}"


def test_both_locks_install_the_same_versions() -> None:
    runtime, dev = _lock("requirements.lock"), _lock("requirements-dev.lock")
    differ = {n: (v, dev.get(n, ("absent", 0))[0])
              for n, (v, _) in runtime.items() if dev.get(n, ("", 0))[0] != v}
    assert not differ, f"requirements-dev.lock differs from requirements.lock: {differ}"


def test_setup_installs_from_the_lock_and_torch_from_pyproject() -> None:
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert "--require-hashes" in setup and "requirements.lock" in setup
    assert "requirements-dev.lock" in setup
    # torch's version is read from pyproject.toml, so there is one place to change it.
    assert """grep -o '"torch==[^"]*"' pyproject.toml""" in setup
    assert "torch==2" not in setup


# ------------------------------------------------------------- scripts/audit.py
def _audit_module() -> Any:
    spec = importlib.util.spec_from_file_location("storfa_audit", ROOT / "scripts" / "audit.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_audit_covers_every_locked_release_and_torch() -> None:
    audit = _audit_module()
    text = audit.audited_requirements(audit.LOCK, ROOT / "pyproject.toml")
    assert "--hash" not in text
    audited = {canonicalize_name(line.split("==")[0]) for line in text.split()}
    assert audited == set(_lock("requirements-dev.lock")) | {"torch"}


def test_an_accepted_vulnerability_needs_a_reason_and_may_lapse(tmp_path: Path) -> None:
    audit = _audit_module()
    assert audit.load_acceptances(ROOT / "audit-ignore.toml") == []  # only the example
    path = tmp_path / "audit-ignore.toml"
    path.write_text('[[accept]]\nid = "GHSA-1"\npackage = "x"\nreviewed_by = "ann"\n')
    with pytest.raises(ValueError, match="no reason"):
        audit.load_acceptances(path)
    path.write_text('[[accept]]\nid = "GHSA-1"\npackage = "x"\nreviewed_by = "ann"\n'
                    'reason = "not reachable from storfa"\nuntil = 2020-01-01\n')
    (entry,) = audit.load_acceptances(path)
    assert entry.lapsed(dt.date(2026, 1, 1)) and not entry.lapsed(dt.date(2019, 1, 1))


def test_audit_reports_vulnerabilities_and_unchecked_releases() -> None:
    audit = _audit_module()
    report = {"dependencies": [
        {"name": "jinja2", "version": "2.10", "vulns": [
            {"id": "PYSEC-2019-217", "fix_versions": ["2.10.1"], "aliases": ["CVE-2019-10906"]}]},
        {"name": "ok", "version": "1.0", "vulns": []},
        {"name": "private", "skip_reason": "Dependency not found on PyPI"}]}
    found, skipped = audit.findings(report)
    assert found == ["jinja2 2.10: PYSEC-2019-217 (CVE-2019-10906); fixed in 2.10.1"]
    assert skipped == ["private: Dependency not found on PyPI"]
