"""Statistics (accountability pages)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cadre.accountability import stats
from cadre.accountability.models import (
    Measure,
)
from cadre.accountability.views.common import _staff
from cadre.audit.services import record_export
from cadre.core.excel import workbook_response, write_sheet


def _year(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None


def statistics(request: HttpRequest) -> HttpResponse:
    _staff(request)
    year = _year(request)
    data = stats.measure_stats(Measure.objects.visible_to(request.user), year)
    years = range(timezone.localdate().year, timezone.localdate().year - 6, -1)
    return render(
        request,
        "accountability/statistics.html",
        {
            "stats": data,
            "year": year,
            "years": years,
            "chart": stats.chart_data(data),
        },
    )


def statistics_export(request: HttpRequest) -> HttpResponse:
    _staff(request)
    year = _year(request)
    data = stats.measure_stats(Measure.objects.visible_to(request.user), year)
    import openpyxl

    wb = openpyxl.Workbook()
    write_sheet(wb, "按措施种类", ["处理措施", "件数"], data["by_kind"])
    write_sheet(wb, "四种形态", ["形态", "件数", "占比%"], data["by_form"])
    write_sheet(wb, "按单位", ["单位", "件数"], data["by_unit"])
    record_export(
        user=request.user, what="accountability.statistics", count=data["total"], request=request
    )
    return workbook_response(wb, f"问责统计{year or '全部'}.xlsx")
