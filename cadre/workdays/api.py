"""Working-day calendar API: read by anyone signed in; maintained by root org admins."""

from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from cadre.workdays import services
from cadre.workdays.access import require_maintainer

router = Router(tags=["workdays"])
MAX_SPAN_DAYS = 366


class DayOut(Schema):
    day: date
    is_workday: bool
    provisional: bool = Field(False, description="该年安排尚未确认，按法定节假日推定")


class YearsOut(Schema):
    library_years: list[int]
    registered_years: list[int]
    provisional_years: list[int] = Field(description="按法定节假日推定计算的年度")


class ScheduleDay(Schema):
    day: date
    name: str = Field("", max_length=50)


class YearIn(Schema):
    year: int = Field(..., ge=services.MIN_YEAR, le=services.MAX_YEAR)
    source: str = Field(..., max_length=200)
    days_off: list[ScheduleDay] = Field(default_factory=list, max_length=400)
    days_worked: list[ScheduleDay] = Field(default_factory=list, max_length=100)
    correction: str = Field("", max_length=200, description="更正已确认年度时的理由")


class ChangeOut(Schema):
    model: str
    object_id: int
    label: str
    old_due: date
    new_due: date
    moved: bool
    is_provisional: bool


class ConfirmOut(Schema):
    year: int
    revision: int
    moved: list[ChangeOut]
    kept_passed: list[ChangeOut]


class DayIn(Schema):
    day: date
    is_workday: bool
    name: str = Field("", max_length=50)


class OverrideOut(Schema):
    day: date
    is_workday: bool
    name: str


@router.get("/days", response=list[DayOut], summary="区间内每天是否工作日")
def days(request: HttpRequest, start: date, end: date) -> list[dict[str, Any]]:
    if end < start:
        raise HttpError(400, "结束日期不能早于开始日期")
    if (end - start).days >= MAX_SPAN_DAYS:
        raise HttpError(400, f"一次最多查询{MAX_SPAN_DAYS}天")
    workdays = set(services.workdays_in(start, end))
    span = (end - start).days + 1
    cal = services.current_calendar()
    return [
        {"day": d, "is_workday": d in workdays, "provisional": cal.is_provisional(d)}
        for d in (start + timedelta(days=i) for i in range(span))
    ]


@router.get("/add", response=DayOut, summary="某日之后第n个工作日")
def add(request: HttpRequest, day: date, n: int) -> dict[str, Any]:
    if not 0 <= n <= 250:
        raise HttpError(400, "n须在0至250之间")
    due = services.due_after(day, n)
    return {"day": due.day, "is_workday": True, "provisional": due.provisional}


@router.get("/years", response=YearsOut, summary="有节假日数据的年度")
def years(request: HttpRequest) -> dict[str, Any]:
    return {
        "library_years": services.library_years(),
        "registered_years": [y.year for y in services.registered_years()],
        "provisional_years": services.provisional_years(),
    }


@router.get("/overrides", response=list[OverrideOut], summary="人工登记的单日安排")
@paginate(LimitOffsetPagination)
def list_overrides(request: HttpRequest) -> Any:
    return services.overrides()


@router.post(
    "/years",
    response={201: ConfirmOut},
    summary="录入并确认年度节假日安排，重算未到期的推定期限（根单位组织部管理员）",
)
def confirm_year(request: HttpRequest, payload: YearIn) -> Status:
    require_maintainer(request.user)
    result = services.confirm_year(
        by=request.user,
        year=payload.year,
        source=payload.source,
        request=request,
        days_off={d.day: d.name for d in payload.days_off},
        days_worked={d.day: d.name for d in payload.days_worked},
        correction=payload.correction,
    )
    return Status(
        201,
        {
            "year": result.row.year,
            "revision": result.row.revision,
            "moved": result.moved,
            "kept_passed": result.kept,
        },
    )


@router.put("/overrides", response=OverrideOut, summary="登记或更正单日安排（根单位组织部管理员）")
def set_override(request: HttpRequest, payload: DayIn) -> Any:
    require_maintainer(request.user)
    return services.set_day_override(
        by=request.user,
        day=payload.day,
        is_workday=payload.is_workday,
        name=payload.name,
        request=request,
    )
