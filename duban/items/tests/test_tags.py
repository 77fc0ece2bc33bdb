"""标签 on items (items/tagging.py): typed the way a clerk writes them, set by the registering
office at any stage, refused with the reason and nothing changed, audited, worded on the item
page, and each a link to its 台账."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.items import actions
from duban.items.models import Confidentiality, ItemState, ItemTag
from duban.items.tagging import parse_tags, set_tags, tags_of
from duban.items.tests.base import ItemTestCase


class ParseTest(ItemTestCase):
    def test_separators_blanks_and_repeats(self) -> None:
        typed = " 民生实事、营商环境,安全生产, 民生实事;河长制 ;; 乡村振兴\t"
        self.assertEqual(
            parse_tags(typed), ["民生实事", "营商环境", "安全生产", "河长制", "乡村振兴"]
        )
        self.assertEqual(parse_tags(["民生实事", " 民生实事 ", ""]), ["民生实事"])
        self.assertEqual(parse_tags(""), [])

    def test_too_long_or_too_many_names_the_field(self) -> None:
        with self.assertRaises(ValidationError) as long:
            parse_tags("民生实事、" + "长" * 21)
        self.assertEqual(
            long.exception.message_dict["tags"], [f"标签「{'长' * 21}」超过 20 个字。"]
        )
        with self.assertRaises(ValidationError) as many:
            parse_tags("、".join(f"标签{n}" for n in range(11)))
        self.assertEqual(many.exception.message_dict["tags"], ["标签最多 10 个。"])


class SetTagsTest(ItemTestCase):
    def test_registered_with_tags_and_audited(self) -> None:
        item = self.draft(tags="民生实事、老旧小区")
        self.assertEqual(tags_of(item), ["民生实事", "老旧小区"])
        created = Event.objects.get(type=EventType.ITEM_CREATED, target_id=str(item.pk))
        self.assertEqual(created.details["tags"], ["", "民生实事、老旧小区"])

    def test_changed_at_any_stage_with_an_event_only_when_it_changes(self) -> None:
        item = self.assigned(tags="民生实事")
        self.assertEqual(item.state, ItemState.ASSIGNED)
        set_tags(item, actor=self.office, tags="民生实事 营商环境")
        set_tags(item, actor=self.office_head, tags="营商环境")
        set_tags(item, actor=self.office, tags="营商环境")  # the same: no event
        set_tags(item, actor=self.office, tags="营商环境、民生实事")
        set_tags(item, actor=self.office, tags="民生实事、营商环境")  # reordered, and kept so
        self.assertEqual(tags_of(item), ["民生实事", "营商环境"])
        set_tags(item, actor=self.office, tags="营商环境")
        events = Event.objects.filter(type=EventType.ITEM_TAGGED).order_by("seq")
        self.assertEqual(
            [e.details["tags"] for e in events],
            [
                ["民生实事", "民生实事、营商环境"],
                ["民生实事、营商环境", "营商环境"],
                ["营商环境", "营商环境、民生实事"],
                ["营商环境、民生实事", "民生实事、营商环境"],
                ["民生实事、营商环境", "营商环境"],
            ],
        )
        self.assertEqual(tags_of(item), ["营商环境"])

    def test_refused_changes_nothing(self) -> None:
        item = self.draft(tags="民生实事")
        with self.assertRaises(PermissionDenied):
            set_tags(item, actor=self.lead_liaison, tags="随手标签")
        with self.assertRaises(ValidationError):
            set_tags(item, actor=self.office, tags="新标签、" + "长" * 21)
        with self.assertRaises(ValidationError):
            actions.create_item(
                actor=self.office,
                owner_unit=self.supervision,
                title="标签过长的事项",
                source="other",
                tags="长" * 21,
            )
        self.assertEqual(tags_of(item), ["民生实事"])
        self.assertEqual(ItemTag.objects.count(), 1)
        self.assertFalse(Event.objects.filter(type=EventType.ITEM_TAGGED).exists())

    def test_a_secret_item_only_by_those_named(self) -> None:
        item = self.draft(confidentiality=Confidentiality.SECRET)
        with self.assertRaises(PermissionDenied):
            set_tags(item, actor=self.office_head, tags="民生实事")
        set_tags(item, actor=self.office, tags="民生实事")  # who registered it
        self.assertEqual(tags_of(item), ["民生实事"])


class TagPageTest(ItemTestCase):
    def test_links_to_the_ledger_and_the_form_for_the_office(self) -> None:
        item = self.assigned(tags="民生实事")
        url = reverse("items:detail", args=[item.pk])
        page = self.client_for(self.office).get(url).content.decode()
        self.assertIn('href="/items/?tag=%E6%B0%91%E7%94%9F%E5%AE%9E%E4%BA%8B"', page)
        self.assertIn('id="item-tags-edit"', page)
        liaison = self.client_for(self.lead_liaison).get(url).content.decode()
        self.assertIn(">民生实事</a>", liaison)
        self.assertNotIn('id="item-tags-edit"', liaison)

    def test_posting_sets_them_or_says_why_not(self) -> None:
        item = self.assigned()
        client = self.client_for(self.office)
        tags_url = reverse("items:tags", args=[item.pk])
        done = client.post(tags_url, {"tags": "民生实事,营商环境"}, follow=True)
        self.assertContains(done, "已更新标签:民生实事、营商环境。")
        refused = client.post(tags_url, {"tags": "长" * 21}, follow=True)
        self.assertContains(refused, "超过 20 个字")
        self.assertEqual(tags_of(item), ["民生实事", "营商环境"])
        self.assertEqual(
            self.client_for(self.lead_liaison).post(tags_url, {"tags": "x"}).status_code, 403
        )
        timeline = client.get(reverse("items:detail", args=[item.pk])).content.decode()
        self.assertIn("标签:民生实事、营商环境", timeline)
