"""Checks `storfa serve` makes before it starts anything, so a service manager
gets one clear message and a non-zero exit instead of a traceback or a server
that half works."""

from __future__ import annotations

import errno
import os
import socket
import tempfile
from pathlib import Path

from storfa.domain.errors import StorfaError


def check_data_dir(path: Path) -> None:
    """The data directory exists (or can be made) and takes a new file."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=path, prefix=".storfa-write-check-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise StorfaError(
            f"The data directory {path} is not writable ({exc.strerror or exc}). "
            "Fix its permissions, or choose another with --data or STORFA_DATA.") from exc


def listen_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket for the web workers to share.

    Bound here, once, so a port already taken is reported before any worker
    starts, and no other program can take it between the check and the use."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as exc:
        raise StorfaError(f"Cannot listen on {host!r}: {exc.strerror}.") from exc
    sock = socket.socket(family, kind, proto)
    try:
        # Lets a restart bind while old connections linger in TIME_WAIT; Linux
        # still refuses a port another socket is listening on.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise StorfaError(
                f"Port {port} on {host} is already in use (another storfa serve?). "
                "Stop that program or choose another port with --port.") from exc
        if exc.errno == errno.EACCES:
            raise StorfaError(f"Not allowed to listen on port {port}; ports below 1024 need "
                              "privileges. Choose another with --port.") from exc
        raise StorfaError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.") from exc
    sock.set_inheritable(True)
    return sock
