"""Who sees 统计分析, 领导驾驶舱 and 挂图作战 (shared/DESIGN.md principle 4).

The figures themselves are always over `restrict(user, "view")`; these entries only decide which
pages a role is offered. Rankings of units are for those who supervise them; the wall chart is
also for the handling units, which seed 001 第二十条 asks to 挂图上墙 their own tasks.
"""

from __future__ import annotations

from duban.items.access import OFFICE_VIEW, UNIT_VIEW
from duban.org.access import register

register("dashboard", {"view": OFFICE_VIEW})
register("wallchart", {"view": UNIT_VIEW})
