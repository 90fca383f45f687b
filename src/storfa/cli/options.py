"""Options several command groups share, so `--json` and the review filters
read and behave the same in every command."""

from __future__ import annotations

from typing import Annotated

import typer

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
TypeOpt = Annotated[str | None, typer.Option("--type", help="Only reviews of this type.",
                                             show_default=False)]
BoardOpt = Annotated[str | None, typer.Option("--board", help="Only reviews of this board.",
                                              show_default=False)]
YearFromOpt = Annotated[int | None, typer.Option("--year-from", help="Only reviews from this year.",
                                                 show_default=False)]
YearToOpt = Annotated[int | None, typer.Option("--year-to", help="Only reviews up to this year.",
                                               show_default=False)]
