"""Each item's reach as rows (items/reach_rows.py): PostgreSQL's alone, written by its triggers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReachRow(models.Model):
    """One unit of an item's reach, with the columns the 台账's commonest filters read, under the
    same names as on Item so the same filter conditions apply (ledgers/counts.py)."""

    pk = models.CompositePrimaryKey("unit_id", "item_id")
    unit_id = models.BigIntegerField(_("单位"))
    item = models.ForeignKey(
        "items.Item", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    ways = models.SmallIntegerField(_("途径"))  # 1 registered under the unit, 2 handled, 3 both
    state = models.CharField(_("状态"), max_length=24)
    source = models.CharField(_("来源"), max_length=24)
    due_date = models.DateField(_("办理时限"), null=True)
    created_at = models.DateTimeField(_("登记时间"))
    lead_unit = models.ForeignKey(
        "org.Unit", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )

    class Meta:
        managed = False
        db_table = "items_reach_rows"
        verbose_name = _("可见范围行")

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.item_id}"


class Tally(models.Model):
    """A delta of the number of items that are not 涉密, by state, source and due date
    (items/tally.py): summed, the rows give the whole tree's total for the filters on those
    columns."""

    grain = models.SmallIntegerField(_("粒度"))  # 0 by due date, 1 over all due dates
    state = models.CharField(_("状态"), max_length=24)
    source = models.CharField(_("来源"), max_length=24)
    due_date = models.DateField(_("办理时限"), null=True)
    n = models.BigIntegerField(_("件数"))

    class Meta:
        managed = False
        db_table = "items_tally"
        verbose_name = _("事项计数")

    def __str__(self) -> str:
        return f"{self.state}/{self.source}/{self.due_date}: {self.n}"
