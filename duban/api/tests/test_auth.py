"""Token and session authentication; the token command; audited create and revoke."""

from __future__ import annotations

import hashlib
from io import StringIO

from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from duban.api import actions
from duban.api.models import ApiToken
from duban.api.tests.base import ApiTestCase
from duban.audit.models import Event
from duban.audit.types import EventType


class TokenAuthTest(ApiTestCase):
    def test_good_token(self) -> None:
        response = self.get(self.office, "/items")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"count": 0, "items": []})

    def test_no_credentials(self) -> None:
        payload = self.assertRefused(self.get(None, "/items"), 401, "unauthenticated")
        self.assertIn("登录", payload["message"])

    def test_bad_token(self) -> None:
        client = self.client_as(None)
        response = client.get("/api/v1/items", headers={"Authorization": "Bearer dbn_wrong"})
        payload = self.assertRefused(response, 401, "unauthenticated")
        self.assertEqual(payload["message"], "访问令牌无效或已撤销。")

    def test_revoked_token(self) -> None:
        secret = self.secret(self.office)
        token = ApiToken.objects.get(user=self.office)
        actions.revoke_token(token, actor=self.office)
        response = self.client_as(None).get(
            "/api/v1/items", headers={"Authorization": f"Bearer {secret}"}
        )
        self.assertRefused(response, 401, "unauthenticated")

    def test_inactive_user_token(self) -> None:
        secret = self.secret(self.office)
        self.office.is_active = False
        self.office.save()
        response = self.client_as(None).get(
            "/api/v1/items", headers={"Authorization": f"Bearer {secret}"}
        )
        self.assertRefused(response, 401, "unauthenticated")

    def test_only_the_hash_is_stored(self) -> None:
        token, secret = actions.create_token(self.office, actor=self.office, name="对接")
        self.assertTrue(secret.startswith("dbn_"))
        self.assertEqual(token.secret_hash, hashlib.sha256(secret.encode()).hexdigest())
        self.assertNotIn(secret, str(ApiToken.objects.filter(pk=token.pk).values().get()))

    def test_create_and_revoke_are_audited(self) -> None:
        token, _secret = actions.create_token(self.office, actor=self.admin, name="对接")
        actions.revoke_token(token, actor=self.admin)
        events = Event.objects.for_target(token).order_by("seq")
        self.assertEqual(
            [e.type for e in events], [EventType.API_TOKEN_CREATED, EventType.API_TOKEN_REVOKED]
        )
        self.assertNotIn("secret", str(events[0].details))

    def test_only_self_or_admin_manage_tokens(self) -> None:
        with self.assertRaises(PermissionDenied):
            actions.create_token(self.office, actor=self.sibling_liaison, name="冒用")


class SessionAuthTest(ApiTestCase):
    def test_session_reads(self) -> None:
        self.assigned()
        response = self.client_for(self.lead_liaison).get("/api/v1/items")
        self.assertEqual(response.json()["count"], 1)

    def test_session_write_needs_csrf(self) -> None:
        client = self.client_for(self.office)
        client.handler.enforce_csrf_checks = True
        body = {"title": "会话登记", "source": "other"}
        response = client.post("/api/v1/items", body, content_type="application/json")
        self.assertRefused(response, 403, "forbidden")
        token = "a" * 32  # a CSRF secret, as the page's cookie would carry
        client.cookies["csrftoken"] = token
        response = client.post(
            "/api/v1/items", body, content_type="application/json", headers={"X-CSRFToken": token}
        )
        self.assertEqual(response.status_code, 201, response.content.decode())


class CommandTest(ApiTestCase):
    def test_prints_the_secret_once(self) -> None:
        out = StringIO()
        call_command("api_token", "office", "--name", "政务服务平台对接", stdout=out)
        secret = out.getvalue().strip().splitlines()[-1]
        response = self.client_as(None).get(
            "/api/v1/items", headers={"Authorization": f"Bearer {secret}"}
        )
        self.assertEqual(response.status_code, 200)
        token = ApiToken.objects.get(user=self.office)
        self.assertEqual(token.name, "政务服务平台对接")

        call_command("api_token", "office", "--revoke", token.prefix, stdout=StringIO())
        self.assertTrue(ApiToken.objects.get(pk=token.pk).revoked)
