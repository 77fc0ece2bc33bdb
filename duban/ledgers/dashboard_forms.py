"""The period of 统计分析 and 领导驾驶舱: a year, or a date range, or everything."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core import clock
from duban.ledgers.dashboards import Period

YEARS_BACK = 6
# The browser's date input speaks ISO dates whatever the page's language.
ISO = ["%Y-%m-%d"]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    year = forms.ChoiceField(label=_("年度"), required=False)
    start = forms.DateField(label=_("起始日期"), required=False, widget=DATE, input_formats=ISO)
    end = forms.DateField(label=_("截止日期"), required=False, widget=DATE, input_formats=ISO)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = clock.today().year
        years = [(str(y), str(y)) for y in range(this_year, this_year - YEARS_BACK, -1)]
        year = cast(forms.ChoiceField, self.fields["year"])
        year.choices = [("all", _("全部年份")), *years]
        year.initial = str(this_year)
        for name, field in self.fields.items():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if select else "form-control"
            if not select:
                field.widget.attrs["id"] = f"period-{name}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("截止日期不能早于起始日期。"))
        return data

    def period(self) -> Period:
        """The chosen period; a page without a valid choice shows the current year."""
        this_year = clock.today().year
        if not self.is_bound or not self.is_valid():
            return Period.year(this_year)
        data = self.cleaned_data
        if data.get("start") or data.get("end"):
            return Period(data.get("start"), data.get("end"))
        if data.get("year") == "all":
            return Period(None, None)
        return Period.year(int(data.get("year") or this_year))
