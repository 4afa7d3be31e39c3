"""Sends a message through an SMTP relay; every failure becomes one clear French sentence."""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import getaddresses

from .. import french
from ..config import SmtpSettings
from .message import to_bytes


class SendError(Exception):
    """The message was not sent; ``str(error)`` is the French explanation."""


@dataclass(frozen=True)
class Receipt:
    """What the server said when it accepted the message."""

    sent_at: datetime
    recipients: tuple[str, ...]
    server: str
    answer: str


def password_for(settings: SmtpSettings, environ: Mapping[str, str] | None = None) -> str | None:
    """The password from the environment variable named in the configuration.

    Checked before anything is built, so that a forgotten variable costs nothing.
    """
    if not settings.username:
        return None
    environ = os.environ if environ is None else environ
    name = settings.password_env or ""
    password = environ.get(name)
    if not password:
        raise SendError(
            f"la variable d'environnement {name}, qui doit contenir le mot de passe du "
            f"compte {settings.username}, n'est pas définie (ou est vide). Définissez-la "
            f"avant de lancer la commande, par exemple : export {name}='…'"
        )
    return password


def send(message: EmailMessage, settings: SmtpSettings,
         environ: Mapping[str, str] | None = None) -> Receipt:
    """Deliver ``message`` to every recipient of its To and Cc headers, or to none.

    All recipients are announced before the message itself: if the server
    refuses any of them, the transaction is cancelled and nobody receives a
    message that others did not get. Raises SendError.
    """
    password = password_for(settings, environ)
    server = f"{settings.host}:{settings.port}"
    sender = getaddresses(message.get_all("From", []))[0][1]
    recipients = tuple(address for _, address in
                       getaddresses(message.get_all("To", []) + message.get_all("Cc", [])))
    try:
        with _connect(settings) as client:
            if password is not None:
                assert settings.username is not None
                client.login(settings.username, password)
            answer = _transaction(client, sender, recipients, to_bytes(message))
    except (smtplib.SMTPException, OSError) as error:
        raise SendError(explain(error, settings)) from error
    return Receipt(datetime.now().astimezone(), recipients, server, answer)


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.security == "none":
        return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    context = _tls_context(settings)
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                context=context)
    client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        client.starttls(context=context)
        client.ehlo()  # the capabilities announced before TLS no longer hold
    except BaseException:
        client.close()
        raise
    return client


def _tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    """The system's trusted authorities, plus the ministry's own when ca_file names it."""
    try:
        return ssl.create_default_context(
            cafile=str(settings.ca_file) if settings.ca_file else None)
    except (ssl.SSLError, OSError, ValueError) as error:
        raise SendError(
            f"le fichier {settings.ca_file} (clé ca_file de la section [smtp]) n'est pas un "
            f"certificat lisible ({error}) : il faut un certificat au format PEM "
            "(texte commençant par « -----BEGIN CERTIFICATE----- »)"
        ) from error


def _transaction(client: smtplib.SMTP, sender: str, recipients: tuple[str, ...],
                 data: bytes) -> str:
    """MAIL, every RCPT, then DATA only if all were accepted; the server's final answer."""
    client.ehlo_or_helo_if_needed()
    options: list[str] = []
    if not (sender + "".join(recipients)).isascii():
        if not client.has_extn("smtputf8"):
            raise SendError("une adresse contient des caractères accentués et le serveur "
                            "SMTP ne sait pas les transmettre (extension SMTPUTF8 absente)")
        options.append("SMTPUTF8")
    code, reply = client.mail(sender, options)
    if code != 250:
        client.rset()
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for recipient in recipients:
        code, reply = client.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
    if refused:
        client.rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = client.data(data)  # raises SMTPDataError unless accepted (250)
    return f"{code} {_text(reply)}"


def explain(error: BaseException, settings: SmtpSettings) -> str:
    """One French sentence for each way sending can fail."""
    server = f"{settings.host}:{settings.port}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(f"{address} ({code} {_text(reply)})"
                            for address, (code, reply) in error.recipients.items())
        return (f"le serveur {server} refuse ce(s) destinataire(s) : {refused}. Le message "
                "n'a été envoyé à personne : corrigez les adresses dans spes-report.toml")
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return (f"le serveur {server} refuse l'identification du compte "
                f"{settings.username} ({error.smtp_code} {_text(error.smtp_error)}) : "
                f"vérifiez l'identifiant et le mot de passe contenu dans la variable "
                f"{settings.password_env}")
    if isinstance(error, smtplib.SMTPSenderRefused):
        return (f"le serveur {server} refuse l'expéditeur {error.sender} "
                f"({error.smtp_code} {_text(error.smtp_error)})")
    if isinstance(error, smtplib.SMTPDataError):
        return (f"le serveur {server} a refusé le message ({error.smtp_code} "
                f"{_text(error.smtp_error)})")
    if isinstance(error, smtplib.SMTPNotSupportedError):
        what = ("le chiffrement STARTTLS" if settings.security == "starttls"
                and "STARTTLS" in str(error) else "l'identification (AUTH)")
        return (f"le serveur {server} ne propose pas {what} : vérifiez les clés security "
                "et username de la section [smtp]")
    if isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError):
        seconds = "seconde" if settings.timeout < 2 else "secondes"
        return (f"le serveur {server} n'a pas répondu dans le délai de "
                f"{french.number(settings.timeout)} {seconds} (clé timeout de la section "
                "[smtp])")
    if isinstance(error, ssl.SSLCertVerificationError):
        return (f"le certificat du serveur {server} n'a pas pu être vérifié "
                f"({error.verify_message}) : si votre ministère utilise sa propre autorité "
                "de certification, indiquez son fichier dans la clé ca_file de la section "
                "[smtp]")
    if isinstance(error, ssl.SSLError):
        return (f"la connexion chiffrée avec le serveur {server} a échoué ({error.reason}) : "
                "vérifiez les clés port et security (\"ssl\" pour le port 465, "
                "\"starttls\" pour le port 587)")
    if isinstance(error, socket.gaierror):
        return (f"le serveur « {settings.host} » est introuvable (nom inconnu ou réseau "
                "indisponible) : vérifiez la clé host de la section [smtp]")
    if isinstance(error, ConnectionRefusedError):
        return (f"le serveur {server} refuse la connexion (aucun service de messagerie à "
                "cette adresse) : vérifiez les clés host et port de la section [smtp]")
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return (f"le serveur {server} a coupé la connexion ({error}) : vérifiez les clés "
                "port et security de la section [smtp]")
    if isinstance(error, smtplib.SMTPResponseException):
        return f"le serveur {server} a répondu {error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, OSError):
        return (f"impossible de joindre le serveur {server} "
                f"({error.strerror or error}) : vérifiez le réseau et la section [smtp]")
    return f"erreur SMTP avec le serveur {server} : {error}"


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())
