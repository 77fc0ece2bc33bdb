"""The API's contract under bad input, for every operation of /api/v1/openapi.json (hypothesis).

With a valid token, each operation gets generated bad requests: wrong JSON types, missing
required fields, unknown fields, over-long text, negative and huge ids, bodies that are not
objects, ids of nothing. Whatever comes in, the API must not fail with a 500; every 4xx answer is
`{"code", "message", "fields"}` with a Chinese message (duban/api/errors.py); and a refused request
changes nothing (the item count and the audit log's length stay as they were).

The examples are derandomized, so every run sends the same requests. The inputs this test once
caught breaking the contract (an unknown path, a body that is not JSON, ids past 64 bits, a
100,000-character search) are pinned by the probes at the end.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.api.tests.base import ApiTestCase
from duban.audit.models import Event
from duban.items.models import Item

SQLITE = django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
CJK = re.compile(r"[\u4e00-\u9fff]")
EXAMPLES = 10  # per operation: with about 40 operations the test takes about 10 s
SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
INT64 = 2**63 - 1

# Integers an integration might send by mistake: zero, negative, past 32 and up to 64 bits.
EXTREME_INTS = st.sampled_from([0, -1, -(2**31), 2**31, 2**53 + 1, INT64, -INT64])
# One field at a time takes each of these while the others are plausible (the sweep below).
SWEEP: list[Any] = [None, True, -1, INT64, "督" * 2001, [1], {"a": 1}]
QUERY_SWEEP = ["-1", "0", str(INT64), "abc", "督" * 2001]
# Over every length limit of the models (200 for a title, 2000 for a message, ...).
HUGE_TEXT = st.sampled_from([201, 2001, 20001]).map(lambda n: "督" * n)
BAD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-INT64, max_value=INT64),
    EXTREME_INTS,
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    HUGE_TEXT,
    st.lists(st.integers(-5, 5), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)
# JSON bodies that are not objects at all.
NOT_OBJECTS = st.one_of(st.none(), st.integers(), st.text(max_size=8), st.lists(st.integers()))
# Path ids: real ones are added per test; these name nothing or are not numbers.
BAD_IDS = st.one_of(
    EXTREME_INTS.map(str),
    st.integers(min_value=-INT64, max_value=INT64).map(str),
    st.from_regex(r"\A[a-z][a-z0-9._-]{0,8}\Z"),
    st.sampled_from(["1.5", "1e3", "0x10", "%E7%9D%A3"]),
)


def mostly(usual: st.SearchStrategy[Any], rare: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`usual` three times in four: st.one_of would weigh each branch of a nested one_of alike."""
    return st.integers(0, 3).flatmap(lambda n: rare if n == 0 else usual)


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def types_of(schema: dict[str, Any]) -> set[str]:
    """The JSON types a property accepts (ninja writes optional ones as anyOf [..., null])."""
    if "type" in schema:
        return {schema["type"]}
    return {part.get("type", "object") for part in schema.get("anyOf", [])}


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, methods in sorted(document["paths"].items())
        for method, operation in sorted(methods.items())
    ]


class ContractTest(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.item = self.assigned()
        self.document = Client().get("/api/v1/openapi.json").json()
        # Tokens are created (and audited) before any count is taken.
        self.clients = {user.username: self.client_as(user) for user in self.callers()}

    def callers(self) -> list[Any]:
        return [self.office, self.office_head, self.lead_liaison, self.lead_leader]

    # -- what a request may carry -------------------------------------------------------------

    def choices(self, name: str, schema: dict[str, Any]) -> list[Any]:
        """Values of the right type, so that requests get past the schema to the actions."""
        kinds = types_of(schema)
        units = [self.lead.pk, self.co.pk, self.sibling.pk]
        if "integer" in kinds:
            return [self.item.version] if name == "version" else units
        if "array" in kinds:
            return [[self.co.pk], [], units]
        if "boolean" in kinds:
            return [True, False]
        if "string" in kinds:
            formats = {part.get("format") for part in [schema, *schema.get("anyOf", [])]}
            if "date" in formats:
                return ["2099-06-30", "2000-01-01", "2025-02-30"]
            return list(schema.get("enum") or ["督办事项", "A", ""])
        return [None]

    def plausible(self, name: str, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
        return st.sampled_from(self.choices(name, schema))

    def json_schema(self, operation: dict[str, Any]) -> dict[str, Any] | None:
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            return None
        return resolve(self.document, content["application/json"]["schema"])

    def body(self, operation: dict[str, Any]) -> st.SearchStrategy[Any]:
        schema = self.json_schema(operation)
        if schema is None:
            return st.one_of(st.none(), NOT_OBJECTS)
        # Mostly plausible values, so that many requests get past the schema to the actions.
        properties = {
            name: mostly(self.plausible(name, resolve(self.document, prop)), BAD_VALUES)
            for name, prop in schema.get("properties", {}).items()
        }
        # Every property optional: required ones go missing in some examples.
        objects = st.fixed_dictionaries({}, optional={**properties, "unknown_field": BAD_VALUES})
        return mostly(objects, NOT_OBJECTS)

    def query(self, operation: dict[str, Any]) -> st.SearchStrategy[dict[str, str]]:
        optional: dict[str, st.SearchStrategy[str]] = {}
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            # Within 64 bits: past them see test_a_query_id_past_64_bits_is_refused below.
            values = st.one_of(
                EXTREME_INTS.map(str),
                st.integers(-(2**40), 2**40).map(str),
                st.text(max_size=12),
                st.sampled_from(["true", "maybe", "2099-01-01", "督" * 2001]),
            )
            optional[parameter["name"]] = values
        return st.fixed_dictionaries({}, optional=optional)

    def path(self, template: str) -> st.SearchStrategy[str]:
        real = st.sampled_from([str(self.item.pk), str(self.item.pk + 10_000)])
        return mostly(real, BAD_IDS).map(lambda pk: re.sub(r"\{[a-z_]+\}", pk, template))

    # -- what the answer must be ----------------------------------------------------------------

    def counts(self) -> tuple[int, int]:
        return Item.objects.count(), Event.objects.count()

    def send(self, caller: str, method: str, path: str, query: dict[str, str], body: Any) -> Any:
        client = self.clients[caller]
        if method == "GET":
            return client.get(path, query)
        data = "" if body is None else json.dumps(body, ensure_ascii=False)
        url = f"{path}?{urlencode(query)}" if query else path
        return client.generic(method, url, data, content_type="application/json")

    def assert_contract(self, response: Any, before: tuple[int, int], request: str) -> None:
        status = response.status_code
        self.assertLess(status, 500, request)
        if status < 400:
            return
        self.assertEqual(response["Content-Type"].split(";")[0], "application/json", request)
        payload = response.json()
        self.assertEqual(set(payload), {"code", "message", "fields"}, request)
        self.assertTrue(isinstance(payload["code"], str) and payload["code"], request)
        self.assertRegex(payload["message"], CJK, request)
        self.assertIsInstance(payload["fields"], dict, request)
        for field, messages in payload["fields"].items():
            self.assertIsInstance(field, str, request)
            self.assertTrue(all(isinstance(m, str) and CJK.search(m) for m in messages), request)
        self.assertEqual(self.counts(), before, f"refused yet changed the database: {request}")

    def run_operation(self, method: str, template: str, operation: dict[str, Any]) -> None:
        @SETTINGS
        @given(
            caller=st.sampled_from(sorted(self.clients)),
            path=self.path(template),
            query=self.query(operation),
            body=self.body(operation),
        )
        def check(caller: str, path: str, query: dict[str, str], body: Any) -> None:
            request = f"{caller} {method} {path} {query} {str(body)[:200]}"
            # Each example in its own savepoint, rolled back: an accepted request (2xx) must not
            # change what the next example starts from.
            with transaction.atomic():
                before = self.counts()
                response = self.send(caller, method, path, query, body)
                self.assert_contract(response, before, request)
                transaction.set_rollback(True)

        check()

    def test_every_operation_refuses_bad_input_in_chinese_and_changes_nothing(self) -> None:
        found = operations(self.document)
        self.assertGreater(len(found), 20)
        for method, template, operation in found:
            with self.subTest(operation=f"{method} {template}"):
                self.run_operation(method, template, operation)

    def sweep(self, method: str, template: str, operation: dict[str, Any]) -> int:
        """Each field and query parameter alone takes each bad value; the rest stay plausible."""
        path = re.sub(r"\{[a-z_]+\}", str(self.item.pk), template)
        schema = self.json_schema(operation) or {}
        properties = {
            name: resolve(self.document, prop)
            for name, prop in schema.get("properties", {}).items()
        }
        base = {name: self.choices(name, prop)[0] for name, prop in properties.items()}
        cases: list[tuple[dict[str, str], Any]] = [
            ({}, {**base, name: value}) for name in properties for value in SWEEP
        ]
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        cases += [({name: value}, None) for name in names for value in QUERY_SWEEP]
        for query, body in cases:
            request = f"office {method} {path} {query} {str(body)[:200]}"
            with transaction.atomic():
                before = self.counts()
                response = self.send("office", method, path, query, body)
                self.assert_contract(response, before, request)
                transaction.set_rollback(True)
        return len(cases)

    def test_every_field_alone_takes_each_bad_value(self) -> None:
        sent = sum(self.sweep(*operation) for operation in operations(self.document))
        self.assertGreater(sent, 100)

    # -- breaches the generator once found, pinned ----------------------------------------------

    def probe(self, send: Callable[[Client], Any]) -> None:
        before = self.counts()
        response = send(self.clients["office"])
        self.assert_contract(response, before, "probe")

    def test_an_unknown_action_is_a_json_404(self) -> None:
        path = f"/api/v1/items/{self.item.pk}/frobnicate"
        self.probe(lambda c: c.post(path, "{}", content_type="application/json"))

    def test_a_body_that_is_not_json_is_refused_in_chinese(self) -> None:
        path = f"/api/v1/items/{self.item.pk}/assign"
        self.probe(lambda c: c.post(path, "{not json", content_type="application/json"))

    def test_a_query_id_past_64_bits_is_refused(self) -> None:
        self.probe(lambda c: c.get("/api/v1/items", {"lead_unit": str(2**70)}))
        self.probe(lambda c: c.get("/api/v1/items", {"offset": str(10**20)}))

    def test_a_search_text_of_100000_characters_is_refused(self) -> None:
        self.probe(lambda c: c.get("/api/v1/items", {"q": "x" * 100_000}))
