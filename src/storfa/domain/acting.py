"""Who acts, as the audit log names them: the one shape every use case takes,
whether a person signed in to the web (accounts.service.Actor) or the
operator at the command line (`CommandLine`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


class Acting(Protocol):
    """Who acts, as the audit log names them (accounts.service.Actor, or
    `CommandLine` below)."""

    @property
    def name(self) -> str: ...

    def detail(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class CommandLine:
    """The CLI's actor: the operating-system user, as every command is audited.
    The command line is trusted like the database it opens: it belongs to no
    organisation and may do what an administrator may."""

    name: str

    def detail(self) -> dict[str, Any]:
        return {"role": None, "organisation": None, "address": "command line"}
