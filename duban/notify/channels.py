"""Transports, one class per external channel (after Healthchecks' hc/api/transports.py).

A transport gets a `Message` — what the outbox row says plus its idempotency key — and either
returns (delivered) or raises `TransportError`. `permanent=True` says a retry cannot help (a
refused address, a 4xx answer): the row goes dead at once instead of using up its attempts.

The in-app channel has no transport: the inbox row is the delivery.

Each transport passes the row's idempotency key where the far side can use it, because delivery
is at least once (notify/delivery.py): a webhook gets it as the `Idempotency-Key` header and in
the generic JSON body; an SMS gateway gets it as the message id; e-mail uses it for the
`Message-ID`, which mail clients use to drop duplicates. DingTalk and WeCom robots have no such
key: a message repeated after a worker crash shows twice there.

To add a channel: a `Channel` choice, a `Transport` subclass registered in `TRANSPORTS`, and an
address for it in `Preference.addresses`.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from duban.notify.models import Channel, Outbox, WebhookFormat

TIMEOUT_SECONDS = 10
log = logging.getLogger("duban.sms")


class TransportError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Message:
    key: str
    to: str
    kind: str
    title: str
    body: str
    url: str = ""
    format: str = WebhookFormat.JSON

    @classmethod
    def from_row(cls, row: Outbox) -> Message:
        p: dict[str, Any] = row.payload
        return cls(
            key=row.idempotency_key,
            to=p.get("to", ""),
            kind=p.get("kind", ""),
            title=p.get("title", ""),
            body=p.get("body", ""),
            url=p.get("url", ""),
            format=p.get("format", WebhookFormat.JSON),
        )

    @property
    def link(self) -> str:
        if not self.url or self.url.startswith(("http://", "https://")):
            return self.url
        return settings.DUBAN_BASE_URL + self.url

    def text(self) -> str:
        return "\n\n".join(part for part in (self.title, self.body, self.link) if part)


class Transport:
    channel: ClassVar[str]

    def send(self, message: Message) -> None:
        raise NotImplementedError


# HTTP ---------------------------------------------------------------------------------------


def post_json(url: str, data: Any, headers: dict[str, str] | None = None) -> bytes:
    """POST `data` as JSON; the answer's body, or TransportError (4xx permanent but 408/429)."""
    if not url.startswith(("http://", "https://")):
        raise TransportError(_("地址须以 http:// 或 https:// 开头。"), permanent=True)
    request = urllib.request.Request(  # noqa: S310  (scheme checked above)
        url,
        data=json.dumps(data, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return bytes(response.read())
    except urllib.error.HTTPError as error:
        permanent = 400 <= error.code < 500 and error.code not in (408, 429)
        raise TransportError(f"HTTP {error.code}", permanent=permanent) from None
    except (urllib.error.URLError, OSError) as error:
        raise TransportError(str(getattr(error, "reason", error))) from None


# E-mail -------------------------------------------------------------------------------------

_KEY_CHARS = re.compile(r"[^A-Za-z0-9._-]")


class Email(Transport):
    channel = Channel.EMAIL

    def send(self, message: Message) -> None:
        body = "\n\n".join(part for part in (message.body, message.link) if part)
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "duban"
        email = EmailMessage(
            subject=message.title,
            body=body,
            to=[message.to],
            headers={"Message-ID": f"<{_KEY_CHARS.sub('-', message.key)}@{domain}>"},
        )
        try:
            email.send()
        except (OSError, ValueError) as error:  # smtplib's errors are OSErrors
            raise TransportError(str(error)) from None


# SMS ----------------------------------------------------------------------------------------


class SmsGateway(Protocol):
    """What an SMS gateway offers: send `text` to the phone number `to`, once per `key`."""

    def send(self, to: str, text: str, key: str) -> None: ...


class ConsoleGateway:
    """Writes each message to the log (logger `duban.sms`): development and tests."""

    def send(self, to: str, text: str, key: str) -> None:
        log.info("SMS to %s [%s]: %s", to, key, text)


class HttpGateway:
    """POSTs {"to", "text", "id"} as JSON to DUBAN_SMS_URL, with a bearer DUBAN_SMS_TOKEN."""

    def send(self, to: str, text: str, key: str) -> None:
        token = settings.DUBAN_SMS_TOKEN
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        post_json(settings.DUBAN_SMS_URL, {"to": to, "text": text, "id": key}, headers)


GATEWAYS: dict[str, type] = {"console": ConsoleGateway, "http": HttpGateway}


def sms_gateway() -> SmsGateway:
    name = settings.DUBAN_SMS_BACKEND or "console"
    gateway_class = GATEWAYS.get(name) or import_string(name)
    gateway: SmsGateway = gateway_class()
    return gateway


class Sms(Transport):
    channel = Channel.SMS

    def send(self, message: Message) -> None:
        # SMS is short: the title and the link, never the body.
        text = "\n".join(part for part in (message.title, message.link) if part)
        sms_gateway().send(message.to, text, message.key)


# Webhooks -----------------------------------------------------------------------------------


def _markdown(message: Message) -> str:
    lines = [f"### {message.title}", message.body]
    if message.link:
        lines.append(f"[{_('查看详情')}]({message.link})")
    return "\n\n".join(line for line in lines if line)


def webhook_body(message: Message) -> dict[str, Any]:
    """The JSON a robot of this format expects."""
    if message.format == WebhookFormat.DINGTALK:
        return {
            "msgtype": "markdown",
            "markdown": {"title": message.title, "text": _markdown(message)},
        }
    if message.format == WebhookFormat.WECOM:
        return {"msgtype": "markdown", "markdown": {"content": _markdown(message)}}
    return {
        "id": message.key,
        "kind": message.kind,
        "title": message.title,
        "body": message.body,
        "url": message.link,
    }


class Webhook(Transport):
    channel = Channel.WEBHOOK

    def send(self, message: Message) -> None:
        answer = post_json(message.to, webhook_body(message), {"Idempotency-Key": message.key})
        if message.format in (WebhookFormat.DINGTALK, WebhookFormat.WECOM):
            _check_robot_answer(answer)


def _check_robot_answer(answer: bytes) -> None:
    # DingTalk and WeCom answer 200 even when they refuse: the verdict is in errcode.
    try:
        errcode = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        return
    if errcode:
        raise TransportError(f"errcode {errcode}: {answer[:200].decode('utf-8', 'replace')}")


TRANSPORTS: dict[str, type[Transport]] = {t.channel: t for t in (Email, Sms, Webhook)}


def transport_for(channel: str) -> Transport:
    try:
        return TRANSPORTS[channel]()
    except KeyError:
        raise TransportError(f"unknown channel {channel!r}", permanent=True) from None
