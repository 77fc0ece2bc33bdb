from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.notify.models import WebhookFormat
from duban.org.forms import TablerForm


class PreferenceForm(TablerForm):
    email = forms.BooleanField(label=_("电子邮件通知"), required=False)
    sms = forms.BooleanField(label=_("短信通知"), required=False)
    webhook = forms.BooleanField(
        label=_("机器人通知(钉钉、企业微信或通用 Webhook)"), required=False
    )
    webhook_url = forms.CharField(label=_("机器人地址"), max_length=500, required=False)
    webhook_format = forms.ChoiceField(label=_("机器人类型"), choices=WebhookFormat.choices)
    quiet_start = forms.TimeField(
        label=_("免打扰开始"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    quiet_end = forms.TimeField(
        label=_("免打扰结束"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    digest = forms.BooleanField(
        label=_("每日汇总"),
        required=False,
        help_text=_("不逐条发送邮件、短信或机器人消息,每天汇总发送一次未读消息;站内消息不受影响。"),
    )
