"""Seed the national calendar 2004–2026 from chinesecalendar, set-based (one bulk_create each)."""

from django.db import migrations

from duban.workdays.seed import FIRST_YEAR, LAST_YEAR, SOURCE, national_days

# Regions whose own days (肉孜节、古尔邦节、藏历新年、三月三) are set each year by regional notices;
# until an administrator loads them their years stay 暂定.
REGIONS = [
    ("CN", "全国", 0),
    ("XJ", "新疆维吾尔自治区", 10),
    ("XZ", "西藏自治区", 20),
    ("GX", "广西壮族自治区", 30),
    ("NX", "宁夏回族自治区", 40),
]


def seed(apps, schema_editor):
    Region = apps.get_model("workdays", "Region")
    CalendarVersion = apps.get_model("workdays", "CalendarVersion")
    DayOverride = apps.get_model("workdays", "DayOverride")
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    Region.objects.bulk_create(
        [Region(code=code, name=name, sort_order=order) for code, name, order in REGIONS]
    )
    national = Region.objects.get(code="CN")
    version = CalendarVersion.objects.create(number=1, note="初始数据:" + SOURCE)
    DayOverride.objects.bulk_create(
        [
            DayOverride(
                region=national,
                date=day.date,
                is_workday=day.is_workday,
                name=day.name,
                source=SOURCE,
                version=version,
            )
            for day in national_days()
        ]
    )
    CalendarYear.objects.bulk_create(
        [
            CalendarYear(region=national, year=year, state="official", source=SOURCE, version=version)
            for year in range(FIRST_YEAR, LAST_YEAR + 1)
        ]
    )


def unseed(apps, schema_editor):
    for name in ("CalendarYear", "DayOverride", "CalendarVersion", "Region"):
        apps.get_model("workdays", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
