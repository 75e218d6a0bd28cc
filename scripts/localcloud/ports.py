"""The ports the local cloud listens on: a requested port is used or the start fails naming it, never moved."""

from __future__ import annotations

import socket

__all__ = ["PortTaken", "any_free_port", "check_port", "port_is_free"]

HOST = "127.0.0.1"


class PortTaken(RuntimeError):
    """A port the local cloud was asked to listen on is held by another process."""

    def __init__(self, port: int, setting: str) -> None:
        super().__init__(
            f"port {port} ({setting}) is already in use on {HOST}: stop what holds it "
            f"(`ss -ltnp 'sport = :{port}'` shows it) or set {setting} to another port (0 = any free port)"
        )
        self.port = port
        self.setting = setting


def port_is_free(port: int, host: str = HOST, kind: int = socket.SOCK_STREAM) -> bool:
    """Whether a server could bind `port` now. SO_REUSEADDR, as the servers set it: a port whose last connections
    are in TIME_WAIT (a cloud that just stopped) is free; one with a listener is not."""
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def check_port(port: int, setting: str, kind: int = socket.SOCK_STREAM) -> None:
    """Raise PortTaken unless `port` is free (0, "any free port", always is)."""
    if port and not port_is_free(port, kind=kind):
        raise PortTaken(port, setting)


def any_free_port(host: str = HOST) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])
