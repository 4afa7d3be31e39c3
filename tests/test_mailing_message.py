"""The MIME message: headers, text and HTML bodies, the workbook attached; the .eml draft."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

from support.mail import (
    EMAIL_SECTION,
    XLSX,
    attachments,
    bodies,
    parse,
    rendered_sample,
    write_config,
)

from spes_report.config import load_config
from spes_report.mailing.message import compose, draft, to_bytes, write_draft
from spes_report.mailing.render import RenderedEmail

PARIS = timezone(timedelta(hours=2))
NOW = datetime(2020, 6, 2, 9, 30, tzinfo=PARIS)


def sample_message(tmp_path: Path, attachment_name: str = "SPES_COPIL_2020-06-01.xlsx",
                   ) -> tuple[EmailMessage, RenderedEmail, Path]:
    attachment = tmp_path / attachment_name
    attachment.write_bytes(os.urandom(3000))
    config = load_config(write_config(tmp_path, EMAIL_SECTION))
    rendered = rendered_sample()
    return compose(rendered, config.email, attachment, NOW), rendered, attachment


def parts(message: EmailMessage) -> list[EmailMessage]:
    """The direct children of a multipart message."""
    children = message.get_payload()
    assert isinstance(children, list)
    return [child for child in children if isinstance(child, EmailMessage)]


def test_message_structure_headers_bodies_and_attachment(tmp_path: Path) -> None:
    message, rendered, attachment = sample_message(tmp_path)
    parsed = parse(to_bytes(message))
    assert parsed.get_content_type() == "multipart/mixed"
    alternative, attached = parts(parsed)
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parts(alternative)] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts(alternative))
    assert attached.get_content_type() == XLSX
    assert attached.get_filename() == attachment.name
    assert attached.get_content_disposition() == "attachment"
    assert attached.get_content() == attachment.read_bytes()
    text, html = bodies(parsed)
    assert text == rendered.text and html == rendered.html
    assert parsed["From"] == "SPES <spes@exemple.gouv.fr>"
    assert parsed["To"].addresses[1].display_name == "Jeanne Dupré"
    assert parsed["Cc"] == "secretariat@exemple.gouv.fr"
    assert parsed["Subject"] == rendered.subject
    assert parsed["Date"].datetime == NOW
    assert parsed["Message-ID"].endswith("@exemple.gouv.fr>")
    assert parsed["X-Unsent"] is None  # the message as sent is not a draft


def test_message_is_seven_bit_with_crlf_line_ends(tmp_path: Path) -> None:
    message, _, _ = sample_message(tmp_path)
    data = to_bytes(message)
    assert data.isascii()  # any relay accepts it, 8BITMIME or not
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 998


def test_draft_opens_as_unsent_in_outlook(tmp_path: Path) -> None:
    message, _, _ = sample_message(tmp_path)
    path = write_draft(message, tmp_path / "brouillon.eml")
    assert parse(path.read_bytes())["X-Unsent"] == "1"
    assert message["X-Unsent"] is None and draft(message)["X-Unsent"] == "1"


def test_non_ascii_file_name_is_encoded(tmp_path: Path) -> None:
    message, _, attachment = sample_message(tmp_path, "Synthèse du comité.xlsx")
    data = to_bytes(message)
    assert b"filename*=utf-8''Synth%C3%A8se%20du%20comit%C3%A9.xlsx" in data
    assert attachments(parse(data))[0].get_filename() == "Synthèse du comité.xlsx"
    assert attachments(parse(data))[0].get_content() == attachment.read_bytes()


def test_the_workbook_and_its_pdf_are_attached_in_order(tmp_path: Path) -> None:
    workbook = tmp_path / "SPES_COPIL_2020-06-01.xlsx"
    pdf = tmp_path / "SPES_COPIL_2020-06-01.pdf"
    workbook.write_bytes(os.urandom(3000))
    pdf.write_bytes(b"%PDF-1.6\n" + os.urandom(3000))
    config = load_config(write_config(tmp_path, EMAIL_SECTION))
    message = parse(to_bytes(compose(rendered_sample(), config.email, [workbook, pdf], NOW)))
    attached = attachments(message)
    assert [(a.get_content_type(), a.get_filename()) for a in attached] == [
        (XLSX, workbook.name), ("application/pdf", pdf.name)]
    assert attached[1].get_content() == pdf.read_bytes()
