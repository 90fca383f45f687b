"""One web worker process of `storfa serve`: uvicorn serving the app on the
listening socket the supervisor bound and handed down (`--fd`).

    python -m storfa.web.process --fd 3 --stop-timeout 8

SIGTERM (from the supervisor) stops accepting, lets in-flight requests finish
for up to --stop-timeout seconds, then exits."""

from __future__ import annotations

import argparse
import socket

import uvicorn

from storfa.config import Settings
from storfa.service import logs
from storfa.service.memory import start_heap_trimmer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="storfa.web.process")
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--stop-timeout", type=float, default=8.0)
    args = parser.parse_args(argv)
    logs.configure(logs.check_format(Settings.from_env().log_format))
    # Each reload after a change leaves freed pages resident (service/memory.py).
    start_heap_trimmer()
    # The descriptor's own family (IPv4 or IPv6) is read from the socket.
    sock = socket.socket(fileno=args.fd)
    config = uvicorn.Config(
        "storfa.web.asgi:create", factory=True, log_config=None, log_level="warning",
        access_log=False,  # storfa.web.observe writes the request lines
        proxy_headers=False,
        # A second less than the supervisor allows, so requests end before its SIGKILL.
        timeout_graceful_shutdown=max(1, int(args.stop_timeout) - 1))
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
