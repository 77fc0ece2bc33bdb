"""The OpenAPI document, and a docs page that needs no outside host (DESIGN principle 7)."""

from __future__ import annotations

import re

from django.test import Client

from duban.api.tests.base import ApiTestCase
from duban.items import states

LIFECYCLE = {
    "submit",
    "approve",
    "send_back",
    "assign",
    "acknowledge",
    "acknowledge_part",
    "decline",
    "decline_part",
    "submit_final",
    "accept",
    "return_for_redo",
    "archive",
    "reopen",
    "cancel",
    "report_progress",
    "submit_plan",
    "co_input",
    "draft_final",
    "sign_off",
    "request_extension",
    "decide_extension",
    "remind",
}


class OpenApiTest(ApiTestCase):
    def test_document_lists_the_paths(self) -> None:
        response = Client().get("/api/v1/openapi.json")
        self.assertEqual(response.status_code, 200)
        document = response.json()
        self.assertTrue(document["openapi"].startswith("3."))
        paths = set(document["paths"])
        expected = {
            "/api/v1/units",
            "/api/v1/items",
            "/api/v1/items/{item_id}",
            "/api/v1/items/{item_id}/events",
            "/api/v1/items/{item_id}/actions",
            "/api/v1/items/{item_id}/reports",
            "/api/v1/items/{item_id}/extensions",
            "/api/v1/items/{item_id}/reminders",
            "/api/v1/items/{item_id}/submit_for_signoff",
        } | {f"/api/v1/items/{{item_id}}/{name}" for name in LIFECYCLE}
        self.assertLessEqual(expected, paths)
        # Every lifecycle path is an action of the state table, by the same name.
        self.assertLessEqual(LIFECYCLE, set(states.ACTIONS))
        schemes = document["components"]["securitySchemes"]
        self.assertIn("bearer", {scheme.get("scheme") for scheme in schemes.values()})

    def test_docs_page_is_offline(self) -> None:
        response = Client().get("/api/v1/docs")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("/static/ninja/swagger-ui-bundle.js", html)
        self.assertEqual(re.findall(r"(?:src|href)=\"(?:https?:)?//[^\"]+", html), [])
        self.assertIn('"validatorUrl": null', html)
        self.assertEqual(Client().get("/static/ninja/swagger-ui-bundle.js").status_code, 200)
