"""The Jinan preset: 济政办发〔2016〕30号《市政府督促检查工作规则》第十六条 (seed 004).

Plain data, read by the data migration and the tests. Counts are in the rule's own unit.
"""

from __future__ import annotations

from dataclasses import dataclass

DOCUMENT = "济政办发〔2016〕30号《济南市人民政府办公厅关于印发市政府督促检查工作规则的通知》"


@dataclass(frozen=True)
class Preset:
    name: str
    kind: str
    count: int
    max_extension: int | None
    article: str
    basis: str


def _article(item: str) -> str:
    return f"{DOCUMENT} 第十六条{item}"


JINAN: list[Preset] = [
    Preset(
        "领导批示",
        "working_days",
        3,
        None,
        _article("(六)"),
        "对市委、市政府领导同志批示、指示事项办理落实情况,要即接即办,"
        "一般应在3个工作日内办结或回复进展情况。",
    ),
    Preset(
        "上级批示",
        "working_days",
        7,
        None,
        _article("(一)"),
        "对国家、省领导同志批示需要我市办理落实事项……有明确办理时限的,应严格在规定时限内办结;"
        "无明确办理时限的,应在7个工作日内办结或回复进展情况。",
    ),
    Preset(
        "常务会议",
        "working_days",
        10,
        None,
        _article("(四)"),
        "对市政府常务会议决定事项落实情况,应在会后10个工作日内报送。",
    ),
    Preset(
        "政府工作报告",
        "quarter_report",
        15,
        None,
        _article("(二)"),
        "对《政府工作报告》主要任务落实情况应在每季度结束后15日内报送。",
    ),
    Preset(
        "人大建议",
        "months",
        3,
        3,
        _article("(七)"),
        "对人大代表建议和政协提案,应在3个月内办理答复,涉及面广、处理难度大的问题,"
        "最迟不得超过6个月。",
    ),
    Preset(
        "政协提案",
        "months",
        3,
        3,
        _article("(七)"),
        "对人大代表建议和政协提案,应在3个月内办理答复,涉及面广、处理难度大的问题,"
        "最迟不得超过6个月。",
    ),
]
