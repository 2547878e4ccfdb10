"""One way to say "refused" (issue 14): the class, the page helper, the API handler."""

import json
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import Http404
from django.test import RequestFactory

from cadre.accounts.tokens import TokenError
from cadre.assessments.services import AssessmentError
from cadre.cadres import services as registry
from cadre.cadres.rules import IdNumberError
from cadre.care.services import CareError
from cadre.core.errors import Refused, refusal
from cadre.core.excel import ExcelFileError
from cadre.core.rulebook import RuleValueError
from cadre.development.services import DevelopmentError
from cadre.orgs.services import OrgError
from cadre.supervision.rules import RuleError as SupervisionRuleError
from cadre.targets.rules import RuleError as TargetsRuleError
from cadre.workdays.rules import ScheduleError, UnknownYearError
from cadre.workdays.services import CalendarError
from cadre.worklogs.services import BulkRefused, Conflict, ItemError, OutOfScope
from cadre.worklogs.services import Refused as WorklogsRefused

APP_REFUSALS = [
    AssessmentError,
    CalendarError,
    CareError,
    DevelopmentError,
    ExcelFileError,
    IdNumberError,
    OrgError,
    registry.ConflictError,
    registry.RegistryError,
    RuleValueError,
    ScheduleError,
    SupervisionRuleError,
    TargetsRuleError,
    TokenError,
    UnknownYearError,
    WorklogsRefused,
]


@pytest.mark.parametrize("kind", APP_REFUSALS, ids=lambda k: f"{k.__module__}.{k.__name__}")
def test_every_app_refusal_is_the_one_refusal_and_no_value_error(kind: type) -> None:
    assert issubclass(kind, Refused)
    assert not issubclass(kind, ValueError)  # a ValueError is a programming error


@pytest.mark.parametrize(
    ("exc", "text", "status", "code"),
    [
        (Refused("请填写理由"), "请填写理由", 400, "refused"),
        (
            Refused("不得确定为优秀", source="考核规定 第十二条"),
            "不得确定为优秀（依据：考核规定 第十二条）",
            400,
            "refused",
        ),
        (AssessmentError("超过限额", "考核规定"), "超过限额（依据：考核规定）", 400, "refused"),
        (SupervisionRuleError("请填写处置理由"), "请填写处置理由", 400, "refused"),
        (registry.ConflictError("已被他人修改"), "已被他人修改", 409, "conflict"),
        (Conflict(), "该记录已被他人修改，请刷新页面后重试", 409, "conflict"),
        (OutOfScope("所选的周不在您的审阅范围内"), "所选的周不在您的审阅范围内", 404, "not_found"),
        (
            UnknownYearError(2031),
            "2031年的节假日安排尚未录入，无法计算工作日，请先在工作日历中维护该年度",
            400,
            "refused",
        ),
    ],
)
def test_a_refusal_carries_its_message_source_and_status(
    exc: Refused, text: str, status: int, code: str
) -> None:
    assert (str(exc), exc.status, exc.code) == (text, status, code)
    assert exc.detail == ("未找到该记录" if status == 404 else text)  # 404 says no more


def test_the_old_names_still_match_in_tests() -> None:
    with pytest.raises(SupervisionRuleError, match="理由"):
        raise SupervisionRuleError("请填写处置理由")
    with pytest.raises(Refused, match="2031"):
        raise UnknownYearError(2031)
    with pytest.raises(LookupError):  # still a LookupError for the calendar's own callers
        raise UnknownYearError(2031)
    bulk = BulkRefused([ItemError(0, "2026-12-01", "请填写日志内容")])
    assert bulk.extra() == {
        "errors": [{"index": 0, "day": "2026-12-01", "message": "请填写日志内容"}]
    }


# --- the page helper ------------------------------------------------------------------------


class NoteForm(forms.Form):
    note = forms.CharField(required=False)


def _request() -> Any:
    request = RequestFactory().post("/x/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_refusal_shows_the_message_as_a_django_message() -> None:
    request = _request()
    with refusal(request) as refused:
        raise CareError("请填写承办人或承办单位")
    assert refused
    assert refused.status == 400
    assert [str(m) for m in get_messages(request)] == ["请填写承办人或承办单位"]


def test_refusal_puts_the_message_on_the_form_and_keeps_a_conflicts_status() -> None:
    form = NoteForm({"note": "x"})
    assert form.is_valid()
    with refusal(_request(), form) as refused:
        raise Conflict()
    assert refused.status == 409
    assert form.non_field_errors() == ["该记录已被他人修改，请刷新页面后重试"]
    field_form = NoteForm({"note": "x"})
    field_form.is_valid()
    with refusal(_request(), field_form, "note"):
        raise TokenError("令牌用途不能超过60个字")
    assert field_form.errors["note"] == ["令牌用途不能超过60个字"]


def test_refusal_lets_a_block_that_was_not_refused_through() -> None:
    with refusal(_request()) as refused:
        done = True
    assert done
    assert not refused
    assert refused.status == 200


def test_an_out_of_scope_refusal_is_a_404_like_a_missing_record() -> None:
    with pytest.raises(Http404), refusal(_request()):
        raise OutOfScope()


@pytest.mark.parametrize(
    "bug",
    [ValueError("invalid literal for int()"), KeyError("x"), TypeError("unsupported operand")],
)
def test_a_programming_error_is_not_a_refusal(bug: Exception) -> None:
    request = _request()
    with pytest.raises(type(bug)), refusal(request):
        raise bug
    assert list(get_messages(request)) == []


# --- the API handler ------------------------------------------------------------------------


def _patch(client: Any, cadre: Any) -> Any:
    return client.patch(
        f"/api/v1/cadres/{cadre.pk}",
        json.dumps({"version": 1, "name": "某"}),
        content_type="application/json",
    )


@pytest.mark.parametrize(
    ("exc", "status", "expected"),
    [
        (
            registry.RegistryError("该职位已撤销，不能任职"),
            400,
            {"detail": "该职位已撤销，不能任职", "code": "refused", "source": None},
        ),
        (
            AssessmentError("不得确定为优秀", "考核规定 第十二条"),
            400,
            {
                "detail": "不得确定为优秀（依据：考核规定 第十二条）",
                "code": "refused",
                "source": "考核规定 第十二条",
            },
        ),
        (
            registry.ConflictError("该干部信息已被他人修改，请刷新后重新编辑"),
            409,
            {
                "detail": "该干部信息已被他人修改，请刷新后重新编辑",
                "code": "conflict",
                "source": None,
            },
        ),
        (
            OutOfScope("所选的周不在您的审阅范围内"),
            404,
            {"detail": "未找到该记录", "code": "not_found", "source": None},
        ),
    ],
)
def test_the_api_answers_a_refusal_in_one_shape(
    world: Any,
    as_user: Any,
    monkeypatch: Any,
    exc: Refused,
    status: int,
    expected: dict[str, Any],
) -> None:
    def refuse(**kwargs: Any) -> None:
        raise exc

    monkeypatch.setattr(registry, "update_cadre", refuse)
    response = _patch(as_user(world.city_admin), world.cadre_a)
    assert response.status_code == status
    assert json.loads(response.content) == expected


def test_the_api_does_not_answer_a_programming_error_as_a_refusal(
    world: Any, as_user: Any, monkeypatch: Any
) -> None:
    def broken(**kwargs: Any) -> None:
        raise ValueError("invalid literal for int() with base 10: 'x'")

    monkeypatch.setattr(registry, "update_cadre", broken)
    response = _patch(as_user(world.city_admin), world.cadre_a)
    assert response.status_code == 500
    data = json.loads(response.content)
    assert data["code"] == "server_error"
    assert "invalid literal" not in response.content.decode()
