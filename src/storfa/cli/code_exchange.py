"""`storfa code import | train` and `storfa codebook ...`: codebooks (create,
edit, merge, retire), REFI-QDA .qdc/.qdpx import, retraining (docs/coding.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from storfa.cli.code import code_app
from storfa.cli.context import services
from storfa.cli.options import JsonOpt
from storfa.cli.output import emit_json, err, fail, out
from storfa.domain.errors import StorfaError

if TYPE_CHECKING:
    from storfa.coding.codebook_store import CodebookService
    from storfa.domain.codebooks import Code, Codebook

codebook_app = typer.Typer(
    help="Codebooks: list, show, create, edit, merge and retire codes; .qdc import/export.",
    no_args_is_help=True)

BookOpt = Annotated[str, typer.Option("--codebook", help="The codebook to change.")]
NameArg = Annotated[str, typer.Argument(help="Codebook name, e.g. best-practice.")]
CodeArg = Annotated[str, typer.Argument(help="Code name (case does not matter).")]
# Reading a file bigger than this is refused before it is parsed.
MAX_IMPORT_BYTES = 256 * 1024 * 1024


def _actor() -> str:
    from storfa.ingest.pipeline import cli_actor

    return cli_actor()


def _books(ctx: typer.Context, as_json: bool) -> CodebookService:

    try:
        return services(ctx).codebooks
    except StorfaError as exc:
        fail(str(exc), as_json)


def code_json(code: Code) -> dict[str, Any]:
    return {"name": code.name, "path": list(code.path), "parent": code.parent,
            "description": code.description, "colour": code.colour, "terms": list(code.terms),
            "best_practice": code.best_practice, "retired": code.retired,
            "merged_into": code.merged_into}


def _read(path: Path, as_json: bool) -> bytes:
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            fail(f"{path} is larger than {MAX_IMPORT_BYTES // 2**20} MB.", as_json)
        return path.read_bytes()
    except OSError as exc:
        fail(f"Cannot read {path}: {exc.strerror or exc}", as_json)


def _show_code(code: Code, as_json: bool, verb: str) -> None:
    if as_json:
        emit_json(code_json(code))
        return
    out.print(f"{verb} [bold]{escape(' › '.join(code.path))}[/]")


# ------------------------------------------------------------------ codebook
@codebook_app.command("list")
def list_codebooks(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the built-in and stored codebooks (a stored one replaces the
    built-in one of the same name)."""
    infos = _books(ctx, as_json).infos()
    if as_json:
        emit_json({"codebooks": [i.as_json() for i in infos]})
        return
    table = Table("name", "title", "codes", "retired", "kind", box=box.SIMPLE_HEAD)
    for i in infos:
        kind = "edited built-in" if i.builtin and i.stored else "built-in" if i.builtin \
            else "stored"
        table.add_row(i.name, escape(i.title), str(i.codes), str(i.retired), kind)
    out.print(table)


@codebook_app.command()
def show(ctx: typer.Context, name: NameArg, as_json: JsonOpt = False) -> None:
    """Show a codebook's code tree and its history of changes."""
    service = _books(ctx, as_json)
    try:
        book = service.load(name)
        history = service.history(book.name)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"name": book.name, "title": book.title, "description": book.description,
                   "codes": [code_json(c) for c in book],
                   "history": [h.as_json() for h in history]})
        return
    tree = Tree(f"[bold]{escape(book.title)}[/] ({book.name}, {len(book)} codes)")
    _tree(tree, book, book.themes)
    out.print(tree)
    for h in history[:20]:
        out.print(f"[dim]{h.at} {escape(h.actor)} {h.action} {escape(h.code or '')}[/]")


def _tree(node: Tree, book: Codebook, codes: tuple[Code, ...]) -> None:
    for code in codes:
        label = f"[{code.colour}]■[/] {escape(code.name)}"
        if code.retired:
            label = f"[dim strike]{escape(code.name)}[/] [dim](retired" + (
                f", merged into {escape(code.merged_into)})[/]" if code.merged_into else ")[/]")
        _tree(node.add(label), book, book.children(code.name))


@codebook_app.command()
def create(
    ctx: typer.Context,
    name: NameArg,
    title: Annotated[str, typer.Option("--title", help="The codebook's title.")],
    description: Annotated[str, typer.Option("--description", help="What it is for.")] = "",
    best_practice: Annotated[bool, typer.Option(
        "--best-practice", help="Every code is an example of best practice.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Create an empty codebook of your own."""
    try:
        book = _books(ctx, as_json).create(name, title, _actor(), description, best_practice)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"name": book.name, "title": book.title, "codes": []})
        return
    out.print(f"Created codebook [bold]{book.name}[/]; add codes with "
              f"storfa codebook add-code --codebook {book.name} NAME")


TermOpt = Annotated[list[str] | None, typer.Option(
    "--term", help="A search-term rule (repeatable), e.g. 'escalat*'.", show_default=False)]


@codebook_app.command("add-code")
def add_code(
    ctx: typer.Context,
    name: CodeArg,
    codebook: BookOpt = "best-practice",
    parent: Annotated[str | None, typer.Option("--parent", help="Put it under this code.",
                                               show_default=False)] = None,
    description: Annotated[str, typer.Option("--description")] = "",
    colour: Annotated[str, typer.Option("--colour", help="#RRGGBB")] = "#777777",
    term: TermOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a code to a codebook (a built-in one is copied into the repository first)."""
    try:
        code = _books(ctx, as_json).add_code(codebook, name, _actor(), parent, description,
                                             colour, tuple(term or ()))
    except StorfaError as exc:
        fail(str(exc), as_json)
    _show_code(code, as_json, "Added")


@codebook_app.command("edit-code")
def edit_code(
    ctx: typer.Context,
    code: CodeArg,
    codebook: BookOpt = "best-practice",
    name: Annotated[str | None, typer.Option("--name", help="Rename it (its extracts too).",
                                             show_default=False)] = None,
    description: Annotated[str | None, typer.Option("--description",
                                                    show_default=False)] = None,
    colour: Annotated[str | None, typer.Option("--colour", help="#RRGGBB",
                                               show_default=False)] = None,
    term: TermOpt = None,
    clear_terms: Annotated[bool, typer.Option("--clear-terms",
                                              help="Remove its search terms.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Change a code's name, description, colour or search terms."""
    terms = () if clear_terms else tuple(term) if term else None
    try:
        changed = _books(ctx, as_json).edit_code(codebook, code, _actor(), name, description,
                                                 colour, terms)
    except StorfaError as exc:
        fail(str(exc), as_json)
    _show_code(changed, as_json, "Now")


@codebook_app.command()
def merge(ctx: typer.Context, source: CodeArg, target: CodeArg,
          codebook: BookOpt = "best-practice", as_json: JsonOpt = False) -> None:
    """Merge code SOURCE into TARGET: SOURCE's extracts move to TARGET and
    SOURCE is retired."""
    try:
        moved = _books(ctx, as_json).merge(codebook, source, target, _actor())
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"codebook": codebook, "merged": source, "into": target, "extracts": moved})
        return
    out.print(f"Merged {escape(source)} into {escape(target)}; {moved} extracts moved.")


@codebook_app.command()
def retire(ctx: typer.Context, code: CodeArg, codebook: BookOpt = "best-practice",
           as_json: JsonOpt = False) -> None:
    """Retire a code: it keeps its extracts and history but is no longer
    offered for coding or auto-coding."""
    try:
        retired = _books(ctx, as_json).retire(codebook, code, _actor())
    except StorfaError as exc:
        fail(str(exc), as_json)
    _show_code(retired, as_json, "Retired")


@codebook_app.command("import")
def import_qdc(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A REFI-QDA codebook (.qdc).")],
    name: Annotated[str | None, typer.Option("--name", help="Store it under this name "
                                             "(default: the file's name).",
                                             show_default=False)] = None,
    title: Annotated[str | None, typer.Option("--title", show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import a REFI-QDA codebook (.qdc) as a new stored codebook."""
    from storfa.coding.qdc import read_qdc

    data = _read(file, as_json)
    wanted = name or file.stem
    try:
        book = _books(ctx, as_json).store_import(read_qdc(data, wanted.casefold(), title),
                                                 _actor(), file.name)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"name": book.name, "codes": len(book),
                   "retired": sum(c.retired for c in book)})
        return
    out.print(f"Imported [bold]{book.name}[/]: {len(book)} codes.")


@codebook_app.command("export")
def export_qdc(
    ctx: typer.Context,
    name: NameArg,
    to: Annotated[Path, typer.Option("--out", help="The .qdc file to write.")],
    as_json: JsonOpt = False,
) -> None:
    """Export a codebook as REFI-QDA (.qdc) for NVivo, ATLAS.ti or MAXQDA."""
    from storfa.coding.qdc import codebook_xml

    try:
        book = _books(ctx, as_json).load(name)
        to.write_bytes(codebook_xml(book))
    except StorfaError as exc:
        fail(str(exc), as_json)
    except OSError as exc:
        fail(f"Cannot write {to}: {exc.strerror or exc}", as_json)
    if as_json:
        emit_json({"name": book.name, "codes": len(book), "out": str(to)})
        return
    out.print(f"Wrote {len(book)} codes of {book.name} to {to}")


# ---------------------------------------------------------------------- code
@code_app.command("import")
def import_qdpx(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A REFI-QDA project (.qdpx).")],
    codebook: Annotated[str | None, typer.Option(
        "--codebook", help="Codebook to code into (default: the one its codes match best).",
        show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import a REFI-QDA project (.qdpx): its codings of stored reviews become
    accepted extracts under each coder's name, its notes memos. Importing the
    same file again adds nothing."""
    from storfa.coding.qdpx_import import import_qdpx as run

    data = _read(file, as_json)
    try:
        report = run(services(ctx).coding, data, _actor(), codebook,
                     file_name=file.name)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json(report.as_json())
        return
    out.print(f"Codebook [bold]{report.codebook}[/]: {len(report.sources_matched)} sources "
              f"matched, {len(report.sources_unmatched)} unmatched; "
              f"{len(report.codes_added)} codes added; {report.extracts_added} extracts "
              f"added, {report.duplicates_skipped} duplicates skipped; "
              f"{report.memos_added} memos added.")
    for s in report.sources_unmatched:
        out.print(f"  [yellow]unmatched[/] {escape(s['name'])}: {escape(s['reason'])}")
    for code in report.codes_added:
        out.print(f"  [green]new code[/] {escape(code)}")
    for problem in report.problems:
        out.print(f"  [yellow]skipped[/] {escape(problem)}")


@code_app.command()
def train(
    ctx: typer.Context,
    codebook: Annotated[str, typer.Option("--codebook", help="The codebook to retrain.")
                        ] = "best-practice",
    devset: Annotated[Path | None, typer.Option(
        "--devset", help="The dev set (default: data/devset/best-practice.jsonl of the "
        "checkout, or $STORFA_DEVSET).", show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Retrain the classifier on the dev set's train split plus this
    repository's accepted (positive) and rejected (negative) extracts, and
    print the dev split's F1 and theme accuracy before and after. The model is
    kept in the shared directory (the data directory unless STORFA_SHARED_DIR)
    and used for auto-coding by every node from then on."""
    from storfa.coding.retrain import retrain

    app = services(ctx)
    with err.status("Training (embedding the examples first)…"):
        try:
            result = retrain(app.coding, codebook, app.settings.models_dir,
                             devset)
        except StorfaError as exc:
            fail(str(exc), as_json)
    doc = result.as_json()
    if as_json:
        emit_json(doc)
        return
    out.print(f"Trained {result.codebook} on {result.devset} dev-set passages, "
              f"{result.accepted} accepted and {result.rejected} rejected extracts "
              f"-> {result.model}")
    table = Table("dev split", "before", "after", "change", box=box.SIMPLE_HEAD)
    for key in ("f1", "precision", "recall", "theme_accuracy", "code_accuracy"):
        table.add_row(key, f"{doc['before'][key]:.3f}", f"{doc['after'][key]:.3f}",
                      f"{doc['change'][key]:+.3f}")
    out.print(table)
