"""The clamd client against a stand-in daemon over TCP, and the demo's EICAR check."""

import io
import struct

import pytest

from servicetorg.submissions.constants import ScanStatus
from servicetorg.submissions.scanners import (
    CHUNK_BYTES,
    EICAR,
    ClamdScanner,
    DemoScanner,
    ScannerUnavailable,
    ScanRefused,
    Verdict,
    parse_reply,
)
from servicetorg.submissions.tests.clamd_standin import free_port, running_clamd

PDF = b"%PDF-1.7\n" + b"x" * 150_000 + b"\n%%EOF\n"


def scanner(port: int, max_bytes: int = 25 * 1024 * 1024) -> ClamdScanner:
    return ClamdScanner("127.0.0.1", port, connect_timeout=2, timeout=5, max_bytes=max_bytes)


def test_it_calls_a_clean_file_clean():
    with running_clamd() as clamd:
        assert scanner(clamd.port).scan(io.BytesIO(PDF)) == Verdict(ScanStatus.CLEAN)
    assert clamd.received.commands == [b"zINSTREAM"]
    assert clamd.received.streams == [PDF]
    # 64 KiB chunks, each announced by its length in four big-endian bytes.
    assert clamd.received.chunk_sizes == [CHUNK_BYTES, CHUNK_BYTES, len(PDF) - 2 * CHUNK_BYTES]


def test_it_names_the_virus_found():
    with running_clamd() as clamd:
        verdict = scanner(clamd.port).scan(io.BytesIO(b"%PDF-1.7\n" + EICAR + b"\n%%EOF"))
    assert verdict == Verdict(ScanStatus.INFECTED, "Eicar-Signature")


def test_it_refuses_past_the_daemons_size_limit():
    with running_clamd(max_length=100_000) as clamd:
        with pytest.raises(ScanRefused, match="INSTREAM size limit exceeded"):
            scanner(clamd.port).scan(io.BytesIO(PDF))
    assert clamd.received.streams == []


def test_it_does_not_send_a_file_past_its_own_limit():
    with running_clamd() as clamd:
        with pytest.raises(ScanRefused, match="CLAMD_STREAM_MAX_MB"):
            scanner(clamd.port, max_bytes=100_000).scan(io.BytesIO(PDF))
    assert clamd.received.streams == []  # the stream was never finished


def test_it_reports_a_daemon_that_is_down():
    with pytest.raises(ScannerUnavailable, match="ConnectionRefusedError"):
        scanner(free_port()).scan(io.BytesIO(PDF))


@pytest.mark.parametrize(
    "reply",
    [b"", b"stream: Can't allocate memory ERROR", b"UNKNOWN COMMAND", b"stream: "],
)
def test_it_reports_errors_and_odd_answers_as_unavailable(reply):
    with pytest.raises(ScannerUnavailable):
        parse_reply(reply)


def test_the_length_prefix_is_four_big_endian_bytes():
    assert struct.pack("!L", 70_000) == b"\x00\x01\x11\x70"


def test_the_demo_scanner_never_calls_a_file_clean():
    assert DemoScanner().scan(io.BytesIO(PDF)).status == ScanStatus.UNSCANNED
    infected = DemoScanner().scan(io.BytesIO(b"%PDF-1.7 " + EICAR))
    assert infected == Verdict(ScanStatus.INFECTED, "Eicar-Test-Signature")
