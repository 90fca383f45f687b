"""Referral-level files (CSV or XLSX) from areas that keep their own case
system: the schema, a template, and an import that checks every row and adds
all of them or none (docs/referrals.md has the schema as a table).

Imported rows carry no names, dates of birth or addresses: a pseudonymous
child_id (and household_id) from the area's own system links its referrals
for the repeat-referral rule. Keys are kept apart per importing organisation,
since one system's child ids mean nothing in another's."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from storfa.clock import utc_now
from storfa.domain.errors import N_, StorfaError
from storfa.domain.referrals import CATEGORIES, DECISIONS, NATURES, SOURCES, Event, valid_date

# column → (required, what it holds)
SCHEMA: dict[str, tuple[bool, str]] = {
    "external_id": (False, "Your own system's id for the referral (kept for follow-up)."),
    "local_authority": (True, "Local authority area, as named in the population file."),
    "received_date": (True, "Date the referral was received, YYYY-MM-DD."),
    "child_id": (True, "Your pseudonymous id for the child: the same child, the same id."),
    "household_id": (False, "Your pseudonymous id for the household."),
    "source": (True, "Referral source: " + ", ".join(SOURCES) + "."),
    "categories": (False, "Categories of harm, separated by ';': " + ", ".join(CATEGORIES)
                   + "."),
    "natures": (False, "Nature of concern, separated by ';': " + ", ".join(NATURES) + "."),
    "decision": (False, "First decision: " + ", ".join(DECISIONS) + "; blank if none yet."),
    "decision_date": (False, "Date of the decision; needed with a decision."),
    "s47_date": (False, "Date a Section 47 enquiry began after another first decision."),
    "strategy_held_date": (False, "Date a strategy meeting was held."),
    "strategy_within": (False, "Strategy meeting within timescale: yes or no."),
    "s47_completed_date": (False, "Date the Section 47 enquiry was completed."),
    "s47_within": (False, "Section 47 completed within timescale: yes or no."),
    "icpc_date": (False, "Date of the initial child protection conference."),
    "registration_date": (False, "Date placed on the child protection register."),
    "care_support_plan_date": (False, "Date of the care and support plan."),
    "looked_after_date": (False, "Date the child became looked after."),
    "step_down_date": (False, "Date the case was stepped down."),
    "deregistration_date": (False, "Date removed from the child protection register."),
}
COLUMNS = list(SCHEMA)
# dated step columns → (event kind, the within-timescale column or None)
STEP_COLUMNS = {"s47_date": ("s47", None), "strategy_held_date": ("strategy_held",
                                                                   "strategy_within"),
                "s47_completed_date": ("s47_completed", "s47_within"),
                "icpc_date": ("icpc", None), "registration_date": ("registration", None),
                "care_support_plan_date": ("care_support_plan", None),
                "looked_after_date": ("looked_after", None), "step_down_date": ("step_down", None),
                "deregistration_date": ("deregistration", None)}
MAX_ROWS = 500_000
_YES, _NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}


@dataclass(frozen=True)
class Problem:
    row: int       # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportRejected(StorfaError):
    def __init__(self, problems: list[Problem]) -> None:
        shown = "; ".join(f"row {p.row}, {p.column}: {p.message}" for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"Nothing was imported: {len(problems)} problem(s): {shown}{more}")
        self.problems = problems


def template(fmt: str) -> bytes:
    """An empty file with the schema's columns (XLSX: and a sheet describing them)."""
    if fmt == "csv":
        return (",".join(COLUMNS) + "\r\n").encode("utf-8")
    if fmt != "xlsx":
        raise StorfaError("A template is csv or xlsx.")
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "referrals"
    sheet.append(COLUMNS)
    about = book.create_sheet("schema")
    about.append(["column", "required", "what it holds"])
    for name, (required, text) in SCHEMA.items():
        about.append([name, "yes" if required else "no", text])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(data: bytes, filename: str) -> tuple[list[str], Iterator[list[str]]]:
    """Header and data rows of a CSV or XLSX file, as text."""
    if filename.casefold().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise StorfaError(N_("{file} is not a readable XLSX file."),
                              file=filename) from exc
        sheet = book.worksheets[0]
        rows = ([_cell(v) for v in row] for row in sheet.iter_rows(values_only=True))
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise StorfaError(N_("{file} is not UTF-8 text; save it as CSV UTF-8."),
                              file=filename) from exc
        rows = ([c.strip() for c in r] for r in csv.reader(io.StringIO(text)))
    header = next(rows, None)
    if header is None:
        raise StorfaError(N_("{file} is empty."), file=filename)
    return [h.strip().casefold() for h in header], rows


def _codes(text: str, allowed: dict[str, str]) -> tuple[list[str], list[str]]:
    labels = {v.casefold(): k for k, v in allowed.items()}
    good: list[str] = []
    bad: list[str] = []
    for part in (p.strip() for p in text.replace(",", ";").split(";")):
        if not part:
            continue
        code = part.casefold().replace(" ", "_").replace("-", "_")
        code = code if code in allowed else labels.get(part.casefold(), "")
        (good if code else bad).append(code or part)
    return sorted(set(good)), bad


@dataclass
class Checked:
    columns: dict[str, Any]
    events: list[Event]


def check_row(n: int, row: dict[str, str], areas: set[str], today: dt.date,
              problems: list[Problem]) -> Checked | None:
    before = len(problems)

    def bad(column: str, message: str) -> None:
        problems.append(Problem(n, column, message))

    for name, (required, _) in SCHEMA.items():
        if required and not row.get(name):
            bad(name, "is required.")
    if row.get("local_authority") and row["local_authority"] not in areas:
        bad("local_authority", f"{row['local_authority']!r} is not in the population file.")
    received = row.get("received_date", "")
    if received and not valid_date(received, today):
        bad("received_date", "is not a date YYYY-MM-DD on or before today.")
    if row.get("source") and row["source"].casefold() not in SOURCES:
        bad("source", f"{row['source']!r} is not one of {', '.join(SOURCES)}.")
    cats, wrong = _codes(row.get("categories", ""), CATEGORIES)
    if wrong:
        bad("categories", f"not categories of harm: {', '.join(wrong)}.")
    nats, wrong = _codes(row.get("natures", ""), NATURES)
    if wrong:
        bad("natures", f"not natures of concern: {', '.join(wrong)}.")
    events: list[Event] = []

    def dated(column: str, kind: str, within_column: str | None) -> None:
        day = row.get(column, "")
        if not day:
            if within_column and row.get(within_column):
                bad(within_column, f"is given without {column}.")
            return
        if not valid_date(day, today):
            bad(column, "is not a date YYYY-MM-DD on or before today.")
            return
        if valid_date(received) and day < received:
            bad(column, "is before received_date.")
        within = None
        if within_column:
            answer = row.get(within_column, "").casefold()
            if answer not in _YES | _NO:
                bad(within_column, "must be yes or no when the date is given.")
            within = answer in _YES
        events.append(Event(kind, day, within))

    decision = row.get("decision", "").casefold()
    if decision and decision not in DECISIONS:
        bad("decision", f"{row['decision']!r} is not one of {', '.join(DECISIONS)}.")
    elif decision:
        if not row.get("decision_date"):
            bad("decision_date", "is needed with a decision.")
        dated("decision_date", decision, None)
    elif row.get("decision_date"):
        bad("decision", "is needed with a decision_date.")
    for column, (kind, within_column) in STEP_COLUMNS.items():
        dated(column, kind, within_column)
    if len(problems) > before:
        return None
    key = row["child_id"]
    return Checked({"local_authority": row["local_authority"], "received_on": received,
                    "source": row["source"].casefold(), "categories": json.dumps(cats),
                    "natures": json.dumps(nats), "external_id": row.get("external_id") or None,
                    "child_key": key, "household_key": row.get("household_id") or None},
                   sorted(events, key=lambda e: (e.on_date, e.kind not in DECISIONS)))


def check_file(data: bytes, filename: str, areas: set[str], today: dt.date
               ) -> tuple[list[Checked], list[Problem]]:
    header, rows = read_rows(data, filename)
    problems: list[Problem] = []
    unknown = [h for h in header if h and h not in SCHEMA]
    for name in unknown:
        problems.append(Problem(1, name, "is not a column of the schema (see the template)."))
    for name, (required, _) in SCHEMA.items():
        if required and name not in header:
            problems.append(Problem(1, name, "column is missing."))
    if problems:
        return [], problems
    checked: list[Checked] = []
    for n, values in enumerate(rows, start=2):
        if not any(values):
            continue
        if n - 1 > MAX_ROWS:
            problems.append(Problem(n, "-", f"a file holds at most {MAX_ROWS} rows."))
            break
        row = dict(zip(header, values + [""] * (len(header) - len(values)), strict=False))
        found = check_row(n, row, areas, today, problems)
        if found is not None:
            checked.append(found)
    if not checked and not problems:
        problems.append(Problem(2, "-", "the file has no rows."))
    return checked, problems


def database_rows(checked: list[Checked], organisation_id: int, batch: str, actor: str
                  ) -> Iterator[tuple[dict[str, Any], list[Event]]]:
    now = utc_now()
    for c in checked:
        cols = dict(c.columns)
        # One system's child ids are its own: keyed by the importing organisation.
        for name in ("child_key", "household_key"):
            if cols[name]:
                cols[name] = hashlib.sha256(
                    f"import|{organisation_id}|{name}|{cols[name]}".encode()).hexdigest()[:32]
        decided = any(e.kind in DECISIONS for e in c.events)
        cols.update(status="decided" if decided else "submitted", origin="import",
                    import_batch=batch, receiving_org_id=organisation_id,
                    subject_type="child", created_at=now, updated_at=now)
        yield cols, [Event(e.kind, e.on_date, e.within_timescale, None, actor, now)
                     for e in c.events]


def new_batch() -> str:
    return f"import-{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S}-{secrets.token_hex(3)}"
