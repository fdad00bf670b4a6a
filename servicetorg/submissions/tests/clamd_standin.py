"""A stand-in for ClamAV's daemon: a small threaded TCP server speaking the INSTREAM protocol.

It answers as clamd does: `stream: OK`, `stream: Eicar-Signature FOUND` for the EICAR test
string, and `INSTREAM size limit exceeded. ERROR` past its StreamMaxLength. It keeps what it
received, so tests can check the chunks the client sent.
"""

import socket
import socketserver
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from servicetorg.submissions.scanners import EICAR


@dataclass
class Received:
    commands: list[bytes] = field(default_factory=list)
    chunk_sizes: list[int] = field(default_factory=list)
    streams: list[bytes] = field(default_factory=list)


class Handler(socketserver.BaseRequestHandler):
    server: "StandInClamd"

    def handle(self) -> None:
        conn: socket.socket = self.request
        command = self._read_until_nul(conn)
        self.server.received.commands.append(command)
        if command != b"zINSTREAM":
            conn.sendall(b"UNKNOWN COMMAND\0")
            return
        data = b""
        while True:
            header = self._read_exactly(conn, 4)
            (length,) = struct.unpack("!L", header)
            if length == 0:
                break
            self.server.received.chunk_sizes.append(length)
            data += self._read_exactly(conn, length)
            if len(data) > self.server.max_length:
                conn.sendall(b"INSTREAM size limit exceeded. ERROR\0")
                # Unlike clamd, read the rest, so the client never sees a connection reset.
                conn.shutdown(socket.SHUT_WR)
                while conn.recv(65536):
                    pass
                return
        self.server.received.streams.append(data)
        reply = b"stream: Eicar-Signature FOUND\0" if EICAR in data else b"stream: OK\0"
        conn.sendall(reply)

    @staticmethod
    def _read_until_nul(conn: socket.socket) -> bytes:
        data = b""
        while not data.endswith(b"\0"):
            part = conn.recv(1)
            if not part:
                break
            data += part
        return data.rstrip(b"\0")

    @staticmethod
    def _read_exactly(conn: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            part = conn.recv(size - len(data))
            if not part:
                raise ConnectionError("client went away")
            data += part
        return data


class StandInClamd(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, max_length: int) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.max_length = max_length
        self.received = Received()

    @property
    def port(self) -> int:
        return self.server_address[1]


@contextmanager
def running_clamd(max_length: int = 25 * 1024 * 1024) -> Iterator[StandInClamd]:
    server = StandInClamd(max_length)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    """A port nothing listens on: the scanner is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
