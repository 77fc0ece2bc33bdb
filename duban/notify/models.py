"""Notifications: the in-app inbox, the outbox the worker delivers, and when and how to deliver.

- `Notification` is one inbox row per recipient: the in-app channel itself, visible at once.
- `Outbox` is one row per recipient × external channel (email, SMS, webhook), written in the same
  transaction as the event that causes it (shared/DESIGN.md principle 2) and delivered after commit
  by the worker (notify/delivery.py). Its `state` moves pending → sending → sent, or back to
  pending with a later `next_attempt_at` after a failure, and to dead after the last attempt.
- `DeliveryWindow` (one row, pk=1) holds the delivery hours and retry policy as data: working
  hours on working days (issue 5 item 2: 09:00–18:00 by default), attempts, backoff, the lease.
- `Preference` is a person's own choice of channels, quiet hours and the daily digest; a person
  without a row gets the model's defaults.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.core import clock
from duban.core.clock import StampField
from duban.org.models import User


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    WEBHOOK = "webhook", _("Webhook 机器人")


class WebhookFormat(models.TextChoices):
    JSON = "json", _("通用 JSON")
    DINGTALK = "dingtalk", _("钉钉机器人")
    WECOM = "wecom", _("企业微信机器人")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")  # kept for the record; a failed attempt goes back to pending
    DEAD = "dead", _("已放弃")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def restrict(self, user: Any, action: str = "view") -> NotificationQuerySet:
        """A person's inbox is theirs alone, whatever their roles (administrators included)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(recipient_id=user.pk)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        User, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类别"), max_length=50)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    target_model = models.CharField(_("对象类型"), max_length=100, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    # "<caller's key>:<recipient>": a sweep that runs twice notifies once.
    dedupe_key = models.CharField(_("去重键"), max_length=255, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("时间"), default=clock.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    # 涉密: title and body stay in the inbox; external channels carry only a pointer to it.
    private = models.BooleanField(_("不经外部渠道"), default=False)
    # The `notify_rows` call that wrote the row: its outbox step reads the batch it has just
    # written by this key, instead of evaluating the caller's (grouped) query once per channel.
    batch = models.CharField(_("批次"), max_length=32, blank=True, default="")

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # The header's unread count on every page: an index-only count of a short list.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(fields=["batch"], condition=~Q(batch=""), name="notification_batch"),
        ]

    def __str__(self) -> str:
        return self.title


class OutboxQuerySet(models.QuerySet["Outbox"]):
    def restrict(self, user: Any, action: str = "manage") -> OutboxQuerySet:
        """Administrators see the outbox rows of people in their jurisdiction."""
        from duban.org.access import scope_q

        people = User.objects.filter(
            scope_q(user, action, "outbox", path_field="memberships__unit__path")
        )
        return self.filter(recipient__in=people.values("pk"))


class Outbox(models.Model):
    recipient = models.ForeignKey(
        User, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="outbox"
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    # What to send, fixed when the event happened: to, kind, title, body, url (and format).
    payload = models.JSONField(_("内容"), default=dict)
    state = models.CharField(
        _("状态"), max_length=16, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), default=clock.now)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    claimed_by = models.CharField(_("领取者"), max_length=100, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    # "<caller's key>:<recipient>:<channel>"; also the idempotency key handed to the channel.
    dedupe_key = models.CharField(_("去重键"), max_length=255, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The worker's two scans: pending rows that are due, and leases that ran out.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending"),
                name="outbox_due",
            ),
            models.Index(fields=["claimed_at"], condition=Q(state="sending"), name="outbox_leased"),
            models.Index(fields=["-created_at"], condition=Q(state="dead"), name="outbox_dead"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient} · {self.get_state_display()}"

    @property
    def idempotency_key(self) -> str:
        return self.dedupe_key or f"duban-outbox-{self.pk}"


class DeliveryWindow(models.Model):
    """When external channels may deliver, and how hard to retry (one row, pk=1)."""

    start = models.TimeField(_("每日开始发送"), default=dt.time(9, 0))
    end = models.TimeField(_("每日停止发送"), default=dt.time(18, 0))
    workdays_only = models.BooleanField(_("仅工作日发送"), default=True)
    region = models.CharField(_("工作日历地区"), max_length=16, default="CN")
    max_attempts = models.PositiveSmallIntegerField(_("最多尝试次数"), default=6)
    backoff_seconds = models.PositiveIntegerField(
        _("首次重试间隔(秒)"), default=60, help_text=_("之后每次加倍")
    )
    backoff_max_seconds = models.PositiveIntegerField(_("最长重试间隔(秒)"), default=6 * 3600)
    lease_seconds = models.PositiveIntegerField(
        _("领取租期(秒)"),
        default=600,
        help_text=_("领取后未完成的消息在租期过后由其他进程重新领取;须长于一批消息的发送时间。"),
    )
    batch_size = models.PositiveSmallIntegerField(_("每批领取条数"), default=20)
    digest_at = models.TimeField(_("每日汇总发送时间"), default=dt.time(9, 0))

    class Meta:
        verbose_name = _("消息发送设置")
        verbose_name_plural = _("消息发送设置")

    def __str__(self) -> str:
        return str(_("消息发送设置"))

    @classmethod
    def current(cls) -> DeliveryWindow:
        # The migration creates the row; a flushed test database may not have it.
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def backoff(self, attempts: int) -> dt.timedelta:
        """Wait after the `attempts`-th failed attempt: base, 2 × base, 4 × base ... capped."""
        seconds = self.backoff_seconds * 2 ** max(attempts - 1, 0)
        return dt.timedelta(seconds=min(seconds, self.backoff_max_seconds))


class Preference(models.Model):
    user = models.OneToOneField(
        User, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="notify_preference"
    )
    email = models.BooleanField(_("电子邮件"), default=True)
    sms = models.BooleanField(_("短信"), default=True)
    webhook = models.BooleanField(_("Webhook 机器人"), default=False)
    webhook_url = models.URLField(_("机器人地址"), max_length=500, blank=True)
    webhook_format = models.CharField(
        _("机器人类型"), max_length=16, choices=WebhookFormat.choices, default=WebhookFormat.JSON
    )
    quiet_start = models.TimeField(_("免打扰开始"), null=True, blank=True)
    quiet_end = models.TimeField(_("免打扰结束"), null=True, blank=True)
    digest = models.BooleanField(
        _("每日汇总"), default=False, help_text=_("不逐条发送,每天汇总发送一次未读消息")
    )
    updated_at = StampField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def for_users(cls, users: list[User]) -> dict[int, Preference]:
        """Each person's preference, their saved row or the defaults (one query)."""
        saved = {p.user_id: p for p in cls.objects.filter(user__in=[u.pk for u in users])}
        return {u.pk: saved.get(u.pk) or cls(user=u) for u in users}

    def addresses(self, enabled: list[str]) -> list[tuple[str, str]]:
        """(channel, address) for each channel the system offers and this person can receive."""
        user = self.user
        wanted = [
            (Channel.EMAIL, self.email, user.email),
            (Channel.SMS, self.sms, user.phone),
            (Channel.WEBHOOK, self.webhook, self.webhook_url),
        ]
        return [(str(ch), to) for ch, on, to in wanted if on and to and str(ch) in enabled]
