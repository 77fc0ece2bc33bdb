"""Chinese keyword search over title, 文号 and content: the same cases on SQLite (FTS5 trigram,
LIKE under three characters) and on PostgreSQL (pg_trgm GIN index with the reach, LIKE or ILIKE
by the query's letters; a pair index and strpos under three)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.test import override_settings

from duban.items import actions, reach
from duban.items import actions as item_actions
from duban.items.models import Item, ItemQuerySet
from duban.ledgers import search
from duban.ledgers.filters import ledger_items
from duban.ledgers.tests.base import LedgerTestCase


class SearchTest(LedgerTestCase):
    def setUp(self) -> None:
        self.make(
            "推进老旧小区改造",
            draft={"content": "年内完成改造五十个小区,加装电梯一百部。"},
        )
        self.make(
            "整治城区噪声扰民",
            draft={"source": "document", "doc_number": "济政办发〔2016〕30号"},
        )
        self.make("优化营商环境", draft={"content": "压缩企业开办时间。Wi-Fi 覆盖。"})

    def test_one_character(self) -> None:
        self.assertEqual(self.titles(q="梯"), ["推进老旧小区改造"])
        self.assertEqual(self.titles(q="民"), ["整治城区噪声扰民"])

    def test_two_characters(self) -> None:
        self.assertEqual(self.titles(q="小区"), ["推进老旧小区改造"])
        self.assertEqual(self.titles(q="城区"), ["整治城区噪声扰民"])
        self.assertEqual(self.titles(q="营商"), ["优化营商环境"])

    def test_three_characters_and_more(self) -> None:
        self.assertEqual(self.titles(q="老旧小区"), ["推进老旧小区改造"])
        self.assertEqual(self.titles(q="噪声扰民"), ["整治城区噪声扰民"])
        self.assertEqual(self.titles(q="加装电梯一百部"), ["推进老旧小区改造"])

    def test_document_number(self) -> None:
        self.assertEqual(self.titles(q="〔2016〕30号"), ["整治城区噪声扰民"])
        self.assertEqual(self.titles(q="济政办发"), ["整治城区噪声扰民"])

    def test_like_wildcards_are_text(self) -> None:
        self.make("完成率100%的单位", draft={"content": "a_b 段落,见 D:\\共享\\台账"})
        self.assertEqual(self.titles(q="100%"), ["完成率100%的单位"])
        self.assertEqual(self.titles(q="率1%"), [])
        self.assertEqual(self.titles(q="A_B"), ["完成率100%的单位"])
        self.assertEqual(self.titles(q="A_b"), ["完成率100%的单位"])
        self.assertEqual(self.titles(q="AxB"), [])
        self.assertEqual(self.titles(q="0%的"), ["完成率100%的单位"])
        self.assertEqual(self.titles(q="\\共享\\"), ["完成率100%的单位"])  # LIKE
        self.assertEqual(self.titles(q="d:\\共享"), ["完成率100%的单位"])  # ILIKE
        self.assertEqual(self.titles(q="d:\\享"), [])

    def test_no_false_hits(self) -> None:
        # Characters all present, but not next to each other: no match.
        self.assertEqual(self.titles(q="小改"), [])
        self.assertEqual(self.titles(q="老小区"), [])
        self.assertEqual(self.titles(q="〔2016〕31号"), [])
        self.assertEqual(self.titles(q="东"), [])

    def test_latin_letters_ignore_case_and_quotes_are_text(self) -> None:
        self.assertEqual(self.titles(q="wi-fi"), ["优化营商环境"])
        self.assertEqual(self.titles(q="WI-FI 覆盖"), ["优化营商环境"])
        self.assertEqual(self.titles(q="fI"), ["优化营商环境"])  # two characters
        self.assertEqual(self.titles(q="w"), ["优化营商环境"])  # one
        self.assertEqual(self.titles(q="wifi"), [])
        self.assertEqual(self.titles(q='"营商'), [])
        self.assertEqual(self.titles(q="OR 改造"), [])

    def test_an_edit_is_found_and_the_old_text_is_not(self) -> None:
        item = self.draft(title="筹建城市书房")
        actions.update_draft(item, actor=self.office, title="筹建城市阅读空间")
        self.assertEqual(self.titles(q="阅读空间"), ["筹建城市阅读空间"])
        self.assertEqual(self.titles(q="城市书房"), [])
        Item.objects.filter(pk=item.pk).delete()
        self.assertEqual(self.titles(q="阅读空间"), [])

    def test_search_respects_scope(self) -> None:
        self.assertEqual(self.titles("sibling_liaison", q="小区"), [])
        # The lead unit's liaison finds the item its unit handles.
        self.assertEqual(self.titles("lead_liaison", q="老旧小区"), ["推进老旧小区改造"])


def bitmap_plan(q: str, items: ItemQuerySet | None = None) -> str:
    """PostgreSQL's plan for a search, left only bitmap scans: on a near-empty table any plan is
    cheap, and bitmap scans are the kind a GIN index offers, so the plan shows whether the search
    can use the index."""
    items = Item.objects.order_by() if items is None else items
    query = search.search(items, q).values("pk")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def bitmap_plan_of(query: QuerySet[Any], drop: tuple[str, ...] = ()) -> str:
    """`bitmap_plan` of any query; `drop` indexes first (inside the test's transaction, which
    undoes it) whose scans look as good on a near-empty table."""
    with connection.cursor() as cursor:
        for index in drop:
            cursor.execute(f"DROP INDEX {index}")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


class SearchIndexTest(LedgerTestCase):
    def test_the_index_of_this_database_exists(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'item_search'")
                (definition,) = cursor.fetchone()
                self.assertIn("gin (reach, search_text gin_trgm_ops)", definition)
                cursor.execute(
                    "SELECT count(*) FROM pg_indexes WHERE indexname = 'item_search_trgm'"
                )
                self.assertEqual(cursor.fetchone(), (0,))  # replaced by item_search
            else:
                cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'items_item_fts%'")
                names = {row[0] for row in cursor.fetchall()}
                self.assertLessEqual({"items_item_fts", *search.TRIGGERS}, names)

    def test_postgres_search_can_use_the_trigram_index(self) -> None:
        """LIKE for Chinese and ILIKE for letters with a case: pg_trgm serves both."""
        if connection.vendor != "postgresql":
            return
        self.assertIn("item_search", bitmap_plan("老旧小区"))
        self.assertIn("(search_text ~~ '%老旧小区%'::text)", bitmap_plan("老旧小区"))  # LIKE
        self.assertNotIn("upper", bitmap_plan("老旧小区"))  # no row upper-cased
        self.assertIn("~~* '%WI-FI%'", bitmap_plan("WI-FI"))  # ILIKE
        self.assertIn("item_search", bitmap_plan("WI-FI"))

    def test_postgres_one_character_asks_no_trigram_index(self) -> None:
        """Without a trigram pg_trgm would read the whole index; no index serves the search."""
        if connection.vendor != "postgresql":
            return
        for q in ("梯", "w"):
            plan = bitmap_plan(q)
            self.assertNotRegex(plan, r"item_search(?!_)", plan)
            self.assertIn("|| ''", plan)

    def test_postgres_scope_and_keyword_in_one_index_scan(self) -> None:
        if connection.vendor != "postgresql":
            return
        items = Item.objects.order_by().filter(reach.reach_q(["/00000001/"], ["/00000002/"]))
        with connection.cursor() as cursor:
            # On a near-empty table the other indexes of the reach look as good; at a million
            # items the one scan is the cheaper. Dropped inside the test's transaction, which
            # undoes it.
            cursor.execute("DROP INDEX item_reach")
            cursor.execute("DROP INDEX item_reach_bigram")
        plan = bitmap_plan("老旧小区", items)
        scans = [line for line in plan.splitlines() if "Index Cond" in line]
        self.assertEqual(len(scans), 1, plan)
        self.assertIn("reach &&", scans[0])
        self.assertIn("search_text ~~", scans[0])

    def test_postgres_two_characters_can_use_the_bigram_index(self) -> None:
        """pg_trgm has no trigram to look up in two characters; the pair index has the pair."""
        if connection.vendor != "postgresql":
            return
        self.assertIn("item_search_bigram", bitmap_plan("小区"))
        # Not LIKE, which would have the trigram index read whole for want of a trigram.
        self.assertNotIn("~~", bitmap_plan("小区"))
        self.assertIn("strpos", bitmap_plan("小区"))
        with connection.cursor() as cursor:
            cursor.execute("SELECT duban_bigrams(UPPER('Wi-Fi 覆盖'))")
            (pairs,) = cursor.fetchone()
        self.assertEqual(sorted(pairs), sorted({" 覆", "-F", "FI", "I ", "I-", "WI", "覆盖"}))

    def test_lost_triggers_come_back_after_migrate(self) -> None:
        if connection.vendor != "sqlite":
            self.assertFalse(search.ensure_sqlite_index())
            return
        self.make("修缮历史街区")
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER items_item_fts_ai")
        self.make("建设口袋公园")
        self.assertEqual(self.titles(q="口袋公园"), [])  # missed by the index
        self.assertTrue(search.ensure_sqlite_index())
        self.assertEqual(self.titles(q="口袋公园"), ["建设口袋公园"])
        self.assertEqual(self.titles(q="历史街区"), ["修缮历史街区"])
        self.assertFalse(search.ensure_sqlite_index())


class ScopedPairTest(LedgerTestCase):
    """A scope's keyword asks what an index holds of it together with the scope's reach
    (search.searchable, items/access.item_q_within), and finds what restrict and search find."""

    def setUp(self) -> None:
        town = self.town  # in the district office's scope, through its handling
        self.make("东湖区燃气管网改造", lead=town)
        self.make("全市燃气安全检查")  # outside the district
        self.make("东湖区消防通道", lead=town)
        self.make("东湖区 Wi-Fi 覆盖", lead=town)
        self.make("东湖区涉密燃气事项", lead=town, draft={"confidentiality": "secret"})
        named = self.make("邻区涉密燃气事项", draft={"confidentiality": "secret"})
        named.named_people.add(self.district_office)
        for title, secret in (("区里登记的燃气事项", "internal"), ("区里登记的涉密燃气", "secret")):
            item_actions.create_item(
                actor=self.district_office,
                owner_unit=self.district,
                title=title,
                source="leader_instruction",
                source_person="张区长",
                source_text="请落实。",
                confidentiality=secret,
            )

    def found(self, items: ItemQuerySet) -> list[str]:
        return sorted(items.values_list("title", flat=True))

    def test_the_same_items_as_restrict_then_search(self) -> None:
        expected = ["区里登记的涉密燃气", "区里登记的燃气事项", "东湖区燃气管网改造"]
        expected += ["邻区涉密燃气事项"]
        for narrow in (60, 0):  # the district: a narrow scope, then a wide one
            with override_settings(DUBAN_NARROW_SCOPE_UNITS=narrow):
                user = self.refreshed(self.district_office)
                found = self.found(ledger_items(user, {"q": "燃气"}))
                self.assertEqual(found, sorted(expected))
                for q in ("燃气", "wI", "消防", "燃", "燃气管网", "东湖区", "涉密燃气"):
                    with self.subTest(q=q, narrow=narrow):
                        plain = search.search(Item.objects.restrict(user), q)
                        found = self.found(ledger_items(user, {"q": q}))
                        self.assertEqual(found, self.found(plain))

    def test_a_scope_short_of_the_whole_tree_on_postgres_asks_it_with_its_reach(self) -> None:
        within = Q(title__contains="燃气")
        for narrow in (60, 0):
            with override_settings(DUBAN_NARROW_SCOPE_UNITS=narrow):
                district = self.refreshed(self.district_office)
                hinted = Item.objects.restrict_within(district, "view", within)
                self.assertEqual(hinted is not None, connection.vendor == "postgresql")
                whole_tree = self.refreshed(self.office)
                self.assertIsNone(Item.objects.restrict_within(whole_tree, "view", within))

    def test_postgres_one_index_scan_and_no_pair_tested_again(self) -> None:
        if connection.vendor != "postgresql":
            self.assertIsNone(search.indexed_q("燃气", connection.vendor))
            return
        self.assertIsNone(search.indexed_q("燃", connection.vendor))
        with override_settings(DUBAN_NARROW_SCOPE_UNITS=0):
            items = ledger_items(self.refreshed(self.district_office), {"q": "燃气"})
            # At a million items the one scan is the cheaper (a city's 燃气: 2.5 ms, against
            # 11 ms for the two bitmaps); on a near-empty table the others look as good.
            drop = ("item_reach", "item_search", "item_search_bigram")
            plan = bitmap_plan_of(items.values("pk"), drop=drop)
        scans = [line for line in plan.splitlines() if "Index Cond" in line]
        pair_scans = [line for line in scans if "duban_bigrams" in line]
        self.assertEqual(len(pair_scans), 1, plan)
        self.assertIn("reach &&", pair_scans[0])
        tested = [line for line in plan.splitlines() if "Filter" in line or "Recheck" in line]
        self.assertFalse([line for line in tested if "Filter" in line and "bigrams" in line], plan)
