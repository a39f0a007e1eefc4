"""A local TCP port nothing listens on, for tests that start a server there or need a refused
connection (a Redis that is down)."""

import socket


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed
