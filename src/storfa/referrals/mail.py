"""E-mail to referrers through a pluggable sender.

STORFA_MAIL_SENDER chooses it: `file` (the default: one .eml file per message
in the data directory's outbox, so nothing needs a mail server), `console`
(printed to the log), or `module:Class` for a sender of your own, built with
the data directory and offering `send(to, subject, body)`."""

from __future__ import annotations

import importlib
import logging
import re
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from storfa.clock import utc_now
from storfa.domain.errors import StorfaError

log = logging.getLogger("storfa.mail")
FROM = "storfa <no-reply@storfa.invalid>"


class MailSender(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


def _message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = FROM, to, subject
    message["Date"] = utc_now()
    message.set_content(body)
    return message


class FileSender:
    def __init__(self, data_dir: Path) -> None:
        self.outbox = data_dir / "outbox"

    def send(self, to: str, subject: str, body: str) -> None:
        self.outbox.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^0-9A-Za-z]+", "-", f"{utc_now()}-{to}")[:80]
        path = self.outbox / f"{stem}.eml"
        n = 1
        while path.exists():
            n += 1
            path = self.outbox / f"{stem}-{n}.eml"
        path.write_bytes(bytes(_message(to, subject, body)))


class ConsoleSender:
    def send(self, to: str, subject: str, body: str) -> None:
        log.info("mail to %s: %s\n%s", to, subject, body)


def mail_sender(choice: str, data_dir: Path) -> MailSender:
    name = choice.strip()
    if name in ("", "file"):
        return FileSender(data_dir)
    if name == "console":
        return ConsoleSender()
    module, _, attr = name.partition(":")
    try:
        factory = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError, ValueError) as exc:
        raise StorfaError(f"STORFA_MAIL_SENDER is file, console or module:Class "
                          f"(got {choice!r}).") from exc
    sender: MailSender = factory(data_dir)
    return sender
