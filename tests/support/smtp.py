"""A real SMTP server on 127.0.0.1 for the tests that send (aiosmtpd), and what it received."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import Envelope, Session


class Recorder:
    """An aiosmtpd handler that keeps what it received and refuses chosen recipients."""

    def __init__(self, refuse: tuple[str, ...] = ()) -> None:
        self.refuse = set(refuse)
        self.received: list[Envelope] = []
        self.logins: list[str] = []

    async def handle_RCPT(self, server: SMTPServer, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 Boîte inconnue"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTPServer, session: Session,
                          envelope: Envelope) -> str:
        self.received.append(envelope)
        if session.authenticated:
            self.logins.append(str(session.login_data))
        return "250 2.0.0 Message accepte (file 42)"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def smtp_server(handler: Recorder, **options: Any) -> Iterator[int]:
    """A real SMTP server on 127.0.0.1; yields its port."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
