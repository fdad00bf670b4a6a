"""Virus scanners behind one small interface: ClamAV's daemon, and the demo's EICAR check.

The clamd client speaks the daemon's INSTREAM command over TCP: `zINSTREAM\\0`, then the file in
chunks, each prefixed by its length as four bytes in network order, then a zero length. The
answer ends with a NUL byte: `stream: OK`, `stream: <signature> FOUND`, or `<reason> ERROR`
(`INSTREAM size limit exceeded. ERROR` when the file is larger than clamd's StreamMaxLength).
"""

import socket
import struct
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from django.conf import settings

from servicetorg.submissions.constants import ScanStatus

# The EICAR test file: harmless, and reported as a virus by every scanner. Written in two parts
# so that a scanner on a developer's machine does not flag this source file.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CHUNK_BYTES = 64 * 1024
LONGEST_REPLY = 4096


class ScannerUnavailable(Exception):
    """The scanner did not answer, or answered with an error: try again later."""


class ScanRefused(Exception):
    """The scanner will not scan this file (too large for it): trying again will not help."""


@dataclass(frozen=True)
class Verdict:
    status: str  # ScanStatus.CLEAN, INFECTED or UNSCANNED
    detail: str = ""  # the signature found, or why nothing was checked


class Scanner(Protocol):
    # True when the scan runs in this process without I/O, so the upload can wait for it.
    local: bool

    def scan(self, stream: BinaryIO) -> Verdict: ...


class DemoScanner:
    """Recognise the EICAR test file and nothing else: no other file is ever called clean."""

    local = True

    def scan(self, stream: BinaryIO) -> Verdict:
        if EICAR in stream.read():
            return Verdict(ScanStatus.INFECTED, "Eicar-Test-Signature")
        return Verdict(ScanStatus.UNSCANNED, "no virus scanner in the demo")


class ClamdScanner:
    """ClamAV's daemon (clamd) over TCP."""

    local = False

    def __init__(
        self, host: str, port: int, connect_timeout: float, timeout: float, max_bytes: int
    ) -> None:
        self.address = (host, port)
        self.connect_timeout = connect_timeout
        self.timeout = timeout
        # clamd's StreamMaxLength: past it clamd answers and closes mid-stream, and that
        # answer can be lost to the connection reset, so larger files are not sent at all.
        self.max_bytes = max_bytes

    def scan(self, stream: BinaryIO) -> Verdict:
        try:
            with socket.create_connection(self.address, timeout=self.connect_timeout) as conn:
                conn.settimeout(self.timeout)
                reply = self._instream(conn, stream)
        except OSError as error:  # refused, reset, timed out, name not found
            raise ScannerUnavailable(type(error).__name__) from error
        return parse_reply(reply)

    def _instream(self, conn: socket.socket, stream: BinaryIO) -> bytes:
        conn.sendall(b"zINSTREAM\0")
        sent = 0
        try:
            while chunk := stream.read(CHUNK_BYTES):
                sent += len(chunk)
                if sent > self.max_bytes:
                    raise ScanRefused(f"larger than CLAMD_STREAM_MAX_MB ({self.max_bytes} bytes)")
                conn.sendall(struct.pack("!L", len(chunk)) + chunk)
            conn.sendall(struct.pack("!L", 0))
        except (BrokenPipeError, ConnectionResetError):
            # Past StreamMaxLength clamd answers at once and stops reading: its answer says why.
            pass
        return read_reply(conn)


def read_reply(conn: socket.socket) -> bytes:
    """Read up to the NUL that ends a reply to a z-command (or until clamd closes)."""
    reply = b""
    while b"\0" not in reply and len(reply) < LONGEST_REPLY:
        part = conn.recv(LONGEST_REPLY)
        if not part:
            break
        reply += part
    return reply.split(b"\0", 1)[0]


def parse_reply(reply: bytes) -> Verdict:
    text = reply.decode("utf-8", "replace").strip()
    if text == "stream: OK":
        return Verdict(ScanStatus.CLEAN)
    if text.startswith("stream: ") and text.endswith(" FOUND"):
        return Verdict(ScanStatus.INFECTED, text.removeprefix("stream: ").removesuffix(" FOUND"))
    if "size limit exceeded" in text:
        raise ScanRefused(text[:200])
    raise ScannerUnavailable(text[:200] or "no answer")


def configured_scanner() -> Scanner:
    """The scanner the settings choose (ATTACHMENT_SCANNER)."""
    if settings.ATTACHMENT_SCANNER == "clamd":
        return ClamdScanner(
            settings.CLAMD_HOST,
            settings.CLAMD_PORT,
            settings.CLAMD_CONNECT_TIMEOUT,
            settings.CLAMD_TIMEOUT,
            settings.CLAMD_STREAM_MAX_MB * 1024 * 1024,
        )
    return DemoScanner()
