"""Calling the API as each persona, with a bearer token of their own."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.test.client import Client as _Client

from duban.api import actions
from duban.items.models import Item
from duban.items.tests.base import ItemTestCase
from duban.org.models import User

Response = Any


class ApiTestCase(ItemTestCase):
    def setUp(self) -> None:
        super().setUp()
        self._secrets: dict[int, str] = {}

    def secret(self, user: User) -> str:
        if user.pk not in self._secrets:
            _token, secret = actions.create_token(user, actor=None, name="测试")
            self._secrets[user.pk] = secret
        return self._secrets[user.pk]

    def client_as(self, user: User | None) -> _Client:
        if user is None:
            return Client()
        return Client(HTTP_AUTHORIZATION=f"Bearer {self.secret(user)}")

    def get(self, user: User | None, path: str, **params: Any) -> Response:
        return self.client_as(user).get(f"/api/v1{path}", params)

    def post(self, user: User | None, path: str, body: dict[str, Any] | None = None) -> Response:
        data = json.dumps(body or {})
        return self.client_as(user).post(
            f"/api/v1{path}", data=data, content_type="application/json"
        )

    def act(self, user: User, item: Item, action: str, **body: Any) -> Response:
        """POST an action with the item's current version, as a caller that just read it."""
        body.setdefault("version", self.fresh(item).version)
        return self.post(user, f"/items/{item.pk}/{action}", body)

    def assertRefused(self, response: Response, status: int, code: str) -> dict[str, Any]:
        self.assertEqual(response.status_code, status, response.content.decode())
        payload: dict[str, Any] = response.json()
        self.assertEqual(payload["code"], code)
        self.assertTrue(payload["message"])
        return payload
