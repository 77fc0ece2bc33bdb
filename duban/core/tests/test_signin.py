"""Sign-in, Argon2 hashing, lockout after repeated failures, and the security headers."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.core.testing import PersonaTestCase
from duban.org import actions
from duban.org.models import User

PASSWORD = "Correct-Horse-42"


class SignInTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        actions.set_password(cls.lead_liaison, PASSWORD, actor=None)

    def post_login(self, client: Client, password: str) -> object:
        return client.post("/accounts/login/", {"username": "lead_liaison", "password": password})

    def test_password_is_stored_with_argon2(self) -> None:
        stored = User.objects.get(pk=self.lead_liaison.pk).password
        self.assertTrue(stored.startswith("argon2$"), stored[:10])

    def test_good_password_reaches_the_workbench(self) -> None:
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": "lead_liaison", "password": PASSWORD}, follow=True
        )
        self.assertEqual(response.redirect_chain[-1][0], "/")
        body = response.content.decode()
        self.assertIn("我的单位与角色", body)
        self.assertIn("市发改委", body)
        self.assertIn("联络员", body)

    def test_bad_password_is_refused_in_chinese(self) -> None:
        response = Client().post(
            "/accounts/login/", {"username": "lead_liaison", "password": "wrong-one"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("账号或密码不正确", response.content.decode())
        self.assertTrue(
            Event.objects.filter(
                type=EventType.SIGN_IN_FAILED, details__username="lead_liaison"
            ).exists()
        )

    def test_repeated_failures_lock_the_account(self) -> None:
        client = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post("/accounts/login/", {"username": "lead_liaison", "password": "wrong"})
        locked = client.post("/accounts/login/", {"username": "lead_liaison", "password": PASSWORD})
        self.assertEqual(locked.status_code, 429)
        self.assertIn("账号已暂时锁定", locked.content.decode())
        self.assertTrue(Event.objects.filter(type=EventType.LOCKED_OUT).exists())
        # Locked means locked: the right password does not open a session either.
        self.assertEqual(client.get("/").status_code, 302)

    def test_other_accounts_are_not_locked_by_someone_elses_failures(self) -> None:
        actions.set_password(self.lead_leader, PASSWORD, actor=None)
        client = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post("/accounts/login/", {"username": "lead_liaison", "password": "wrong"})
        response = client.post(
            "/accounts/login/", {"username": "lead_leader", "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 302)

    def test_anonymous_workbench_redirects_to_sign_in(self) -> None:
        response = Client().get("/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/accounts/login/"))

    def test_sign_out_ends_the_session(self) -> None:
        client = self.client_for(self.lead_liaison)
        self.assertEqual(client.get("/").status_code, 200)
        client.post("/accounts/logout/")
        self.assertEqual(client.get("/").status_code, 302)


class ShellTests(PersonaTestCase):
    def test_session_cookie_is_http_only_and_short_lived(self) -> None:
        self.assertTrue(settings.SESSION_COOKIE_HTTPONLY)
        self.assertTrue(settings.SESSION_EXPIRE_AT_BROWSER_CLOSE)
        self.assertLessEqual(settings.SESSION_COOKIE_AGE, 12 * 3600)
        self.assertEqual(settings.SESSION_COOKIE_SAMESITE, "Lax")

    def test_pages_forbid_outside_hosts(self) -> None:
        response = self.client_for(self.office).get("/")
        policy = response["Content-Security-Policy"]
        self.assertIn("default-src 'self'", policy)
        self.assertNotIn("http", policy)
        self.assertEqual(response["X-Frame-Options"], "DENY")
        body = response.content.decode()
        self.assertNotIn("http://", body)
        self.assertNotIn("https://", body)

    def test_workbench_lists_each_role_with_its_scope(self) -> None:
        actions.grant_role(self.office, self.lead, "liaison", actor=None)
        body = self.client_for(self.refreshed(self.office)).get("/").content.decode()
        self.assertIn("督查工作人员", body)
        self.assertIn("测试市及下级", body)
        self.assertIn("市发改委", body)

    def test_person_without_roles_is_told_so(self) -> None:
        loner = actions.create_user(actor=None, username="loner", full_name="无角色")
        body = self.client_for(loner).get("/").content.decode()
        self.assertIn("尚未被授予任何单位的角色", body)

    def test_english_is_available(self) -> None:
        client = self.client_for(self.office)
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        body = client.get("/").content.decode()
        self.assertIn("Workbench", body)
