"""标签: the names an office gives its items to group them across sources and units — a 专项行动
(优化营商环境年), a theme (民生实事) or a campaign. A 专项台账 by tag (seed 001 第二十二条
「综合台账+专项台账」) is the 台账 filtered by one of them (ledgers/filters.py `tag`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

TAG_MAX = 20  # characters in one tag
TAGS_MAX = 10  # tags on one item


class ItemTag(models.Model):
    item = models.ForeignKey(
        "items.Item", verbose_name=_("事项"), on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(_("标签"), max_length=TAG_MAX)

    class Meta:
        verbose_name = _("事项标签")
        verbose_name_plural = _("事项标签")
        ordering = ["item", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "name"], name="item_tag_once"),
        ]
        # The 台账's tag filter is an EXISTS over (name, item): one index probe per item, or the
        # tag's items read in order from the index.
        indexes = [models.Index(fields=["name", "item"], name="item_tag_name")]

    def __str__(self) -> str:
        return self.name
