"""Known vulnerabilities in the locked dependencies (issue 21 item 6).

    .venv/bin/python scripts/audit.py            # CI: skips, saying so, when offline
    .venv/bin/python scripts/audit.py --strict   # a deployment: no answer is a failure

Runs pip-audit over requirements-dev.lock (which holds every pin of
requirements.lock) plus the torch pin the lock leaves out, taking each
version from the lock as it is (--no-deps --disable-pip: nothing is installed
or resolved). Vulnerabilities accepted after review are listed, each with its
reason, in audit-ignore.toml. docs/dependencies.md says how to use it.

Exit status: 0 nothing known (or no source answered, without --strict);
1 a vulnerability not accepted; 2 a broken ignore file or pip-audit error;
3 no vulnerability source answered and --strict.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements-dev.lock"
IGNORE_FILE = ROOT / "audit-ignore.toml"
# A release every source lists vulnerabilities for: an answer without them means
# the source is reachable but has no vulnerability data (a mirror, say), which
# must not pass for "nothing known".
CANARY = ("jinja2", "2.10")
TIMEOUT = 15.0


@dataclass(frozen=True)
class Acceptance:
    id: str
    package: str
    reason: str
    reviewed_by: str
    until: dt.date | None

    def lapsed(self, today: dt.date) -> bool:
        return self.until is not None and self.until < today


def load_acceptances(path: Path) -> list[Acceptance]:
    """audit-ignore.toml's [[accept]] entries; ValueError names a bad one."""
    if not path.exists():
        return []
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("accept", [])
    out = []
    for n, entry in enumerate(entries, 1):
        missing = [k for k in ("id", "package", "reason", "reviewed_by")
                   if not str(entry.get(k, "")).strip()]
        if missing:
            raise ValueError(f"{path.name}: entry {n} has no {', '.join(missing)}: "
                             "an accepted vulnerability needs a reason and a reviewer")
        until = entry.get("until")
        if until is not None and not isinstance(until, dt.date):
            raise ValueError(f"{path.name}: entry {n}: until must be a date (2027-01-31)")
        out.append(Acceptance(str(entry["id"]), str(entry["package"]), str(entry["reason"]),
                              str(entry["reviewed_by"]), until))
    return out


def _get_json(request: urllib.request.Request) -> Any:
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return json.load(response)


def source_answers(service: str) -> str | None:
    """None when `service` returns vulnerability data for the canary, else why not."""
    name, version = CANARY
    try:
        if service == "pypi":
            doc = _get_json(urllib.request.Request(
                f"https://pypi.org/pypi/{name}/{version}/json"))
            found = doc.get("vulnerabilities")
        else:
            query = {"package": {"name": name, "ecosystem": "PyPI"}, "version": version}
            doc = _get_json(urllib.request.Request(
                "https://api.osv.dev/v1/query", data=json.dumps(query).encode(),
                headers={"Content-Type": "application/json"}))
            found = doc.get("vulns")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
    return None if found else f"no vulnerabilities listed for {name} {version}"


def audited_requirements(lock: Path, pyproject: Path) -> str:
    """The lock's pins, without their hashes (pip-audit refuses a file where some
    lines have hashes and some not; nothing is downloaded, so they are not
    needed), plus torch's pin from pyproject.toml, which the lock leaves out."""
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*==[^\s\\;]+)",
                      lock.read_text(encoding="utf-8"), flags=re.MULTILINE)
    torch = re.search(r'"(torch==[^"]+)"', pyproject.read_text(encoding="utf-8"))
    return "\n".join([*pins, *([torch[1]] if torch else [])]) + "\n"


def run_pip_audit(requirements: str, service: str, ignore: list[str]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as req:
        req.write(requirements)
        req.flush()
        command = [sys.executable, "-m", "pip_audit", "--requirement", req.name,
                   "--no-deps", "--disable-pip", "--format", "json",
                   "--progress-spinner", "off", "--vulnerability-service", service]
        for vuln in ignore:
            command += ["--ignore-vuln", vuln]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        report: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise RuntimeError(f"pip-audit failed ({done.returncode}): "
                           f"{done.stderr.strip()[-2000:]}") from exc
    return report


def findings(report: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(one line per vulnerability, one line per dependency that was not checked)."""
    found, skipped = [], []
    for dep in report.get("dependencies", []):
        if "skip_reason" in dep:
            skipped.append(f"{dep['name']}: {dep['skip_reason']}")
        for vuln in dep.get("vulns", []):
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed release"
            aliases = ", ".join(vuln.get("aliases") or [])
            found.append(f"{dep['name']} {dep['version']}: {vuln['id']}"
                         f"{f' ({aliases})' if aliases else ''}; fixed in {fixes}")
    return found, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--strict", action="store_true",
                        help="fail (exit 3) when no vulnerability source answers")
    parser.add_argument("--service", choices=["pypi", "osv"], action="append",
                        help="sources to try, in order (default: pypi, then osv)")
    args = parser.parse_args(argv)
    try:
        accepted = load_acceptances(IGNORE_FILE)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        print(f"audit: {exc}", file=sys.stderr)
        return 2
    today = dt.date.today()
    for a in accepted:
        if a.lapsed(today):
            print(f"audit: the acceptance of {a.id} ({a.package}) lapsed on {a.until}; "
                  "review it again or upgrade", file=sys.stderr)
    ignore = [a.id for a in accepted if not a.lapsed(today)]

    reasons = {}
    for service in args.service or ["pypi", "osv"]:
        why = source_answers(service)
        if why is None:
            break
        reasons[service] = why
    else:
        detail = "; ".join(f"{s}: {r}" for s, r in reasons.items())
        print(f"audit: NOT CHECKED: no vulnerability source answered from this machine "
              f"({detail}). Nothing is known either way; run scripts/audit.py --strict "
              "where PyPI's JSON API or api.osv.dev can be reached.")
        return 3 if args.strict else 0

    try:
        report = run_pip_audit(audited_requirements(LOCK, ROOT / "pyproject.toml"),
                               service, ignore)
    except RuntimeError as exc:
        print(f"audit: {exc}", file=sys.stderr)
        return 2
    found, skipped = findings(report)
    total = len(report.get("dependencies", []))
    for line in skipped:
        print(f"audit: not checked: {line}")
    if total and len(skipped) == total:
        print(f"audit: NOT CHECKED: {service} answered but knew none of the {total} "
              "locked releases.")
        return 3 if args.strict else 0
    for line in found:
        print(f"audit: VULNERABLE: {line}")
    print(f"audit: {total - len(skipped)} locked releases checked against {service}; "
          f"{len(found)} known vulnerabilit{'y' if len(found) == 1 else 'ies'} not accepted"
          f"{f', {len(ignore)} accepted in audit-ignore.toml' if ignore else ''}.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
