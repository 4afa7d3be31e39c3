"""The MIME message: text and HTML alternatives, the workbook (and its PDF) attached; and its
.eml draft."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from ..config import EmailSettings
from ..files import write_atomically
from .render import RenderedEmail

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PDF_TYPE = ("application", "pdf")


def compose(rendered: RenderedEmail, settings: EmailSettings,
            attachments: Path | Sequence[Path], now: datetime) -> EmailMessage:
    """The message as it is sent: multipart/mixed holding multipart/alternative and the
    files (the workbook, its PDF), in the order given.

    ``now`` (aware or naive local time) dates the message.
    """
    message = EmailMessage(policy=policy.default)
    message["From"] = settings.sender
    message["To"] = settings.to
    if settings.cc:
        message["Cc"] = settings.cc
    message["Subject"] = rendered.subject
    message["Date"] = format_datetime(now if now.tzinfo else now.astimezone())
    message["Message-ID"] = make_msgid("spes-report", domain=_ascii_domain(settings.sender))
    message["Content-Language"] = "fr"
    # Quoted-printable keeps every line 7-bit: any relay accepts it, with or
    # without the 8BITMIME extension, and the French text stays readable.
    message.set_content(rendered.text, subtype="plain", charset="utf-8",
                        cte="quoted-printable")
    message.add_alternative(rendered.html, subtype="html", charset="utf-8",
                            cte="quoted-printable")
    for attachment in [attachments] if isinstance(attachments, Path) else attachments:
        maintype, subtype = PDF_TYPE if attachment.suffix.lower() == ".pdf" else XLSX_TYPE
        # The file name is encoded as RFC 2231 asks when it is not plain ASCII.
        message.add_attachment(attachment.read_bytes(), maintype=maintype, subtype=subtype,
                               filename=attachment.name)
    return message


def draft(message: EmailMessage) -> EmailMessage:
    """A copy that Outlook opens as a draft to send (``X-Unsent: 1``).

    The header is kept out of the message actually sent: a recipient's
    Outlook would otherwise open the received email as a draft too.
    """
    unsent = copy.deepcopy(message)
    unsent["X-Unsent"] = "1"
    return unsent


def to_bytes(message: EmailMessage) -> bytes:
    """The message as a file or an SMTP server wants it: CRLF line ends, long lines folded."""
    return message.as_bytes(policy=policy.SMTP)


def write_draft(message: EmailMessage, path: Path) -> Path:
    """Write the .eml draft of ``message`` to ``path`` (replaced whole, never half-written)."""
    write_atomically(path, to_bytes(draft(message)))
    return path


def _ascii_domain(sender: Address) -> str:
    try:
        return sender.domain.encode("idna").decode("ascii")
    except UnicodeError:
        return "spes-report.invalid"
