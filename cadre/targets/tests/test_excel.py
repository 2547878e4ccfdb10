"""Task book sheet: one sheet, validated row by row, all or nothing; export round-trips."""

import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cadre.targets import services
from cadre.targets.excel import HEADERS, parse_book_sheet
from cadre.targets.models import Task
from cadre.targets.tests.conftest import act, draft_book
from tests import factories as f

HEAD = ["序号", *HEADERS]


def row(**kw: Any) -> list[Any]:
    values = {
        "任务名称": "招商引资",
        "类别": "重点工作",
        "指标类型": "数值指标",
        "计量单位": "亿元",
        "目标值": 100,
        "权重": 50,
        "完成时限": date(2026, 12, 31),
        "责任人": "王甲",
        "服务重点项目编号": None,
        "奖惩认定": "按完成比例计分",
        "节点": None,
    }
    values.update(kw)
    return [1, *(values[h] for h in HEADERS)]


STONES = "2026-06-30 开工\n2026-11-30 完工"


def xlsx(rows: list[list[Any]], extra_sheet: bool = False) -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    if extra_sheet:
        wb.create_sheet("说明")
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("任务书.xlsx", buf.getvalue())


# --- the pure parser -----------------------------------------------------------------------


def test_parser_accepts_a_valid_sheet() -> None:
    parsed, errors = parse_book_sheet(
        [HEAD, row(), row(**{"指标类型": "节点指标", "目标值": None, "节点": STONES})], 2026
    )
    assert errors == []
    assert [p.data.indicator_kind for p in parsed] == ["numeric", "milestones"]
    assert parsed[1].data.milestones == [("开工", date(2026, 6, 30)), ("完工", date(2026, 11, 30))]


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        ({"类别": "日常工作"}, "类别", "应为重点工作、常规工作、专项任务之一"),
        ({"权重": "五十"}, "权重", "应为数字"),
        ({"权重": -5}, "权重", "必须大于0"),
        ({"完成时限": date(2027, 1, 5)}, "完成时限", "不在任务书年度（2026年）内"),
        ({"完成时限": "明年"}, "完成时限", "应为日期"),
        ({"目标值": None}, "目标值", "数值指标必须填写大于0的目标值"),
        ({"指标类型": "节点指标", "节点": "下半年 完工"}, "节点", "格式应为"),
        ({"任务名称": None}, "任务名称", "必填"),
        ({"任务名称": '=HYPERLINK("http://x")'}, "任务名称", "不能是公式"),
    ],
)
def test_parser_reports_each_bad_row(bad: dict[str, Any], column: str, message: str) -> None:
    _, errors = parse_book_sheet([HEAD, row(权重=50), row(**{"权重": 50, **bad})], 2026)
    assert [(e.row, e.column) for e in errors] == [(3, column)]
    assert message in errors[0].message


def test_parser_refuses_weights_not_summing_to_100() -> None:
    _, errors = parse_book_sheet([HEAD, row(权重=50), row(权重=40)], 2026)
    assert len(errors) == 1
    assert "合计为90" in errors[0].message


def test_parser_refuses_unknown_or_missing_columns() -> None:
    _, errors = parse_book_sheet([["任务名称", "权重", "备注"], ["x", 100, ""]], 2026)
    assert errors[0].row == 1
    assert "缺少列" in errors[0].message


# --- import through the page ---------------------------------------------------------------


def test_import_replaces_the_drafts_tasks(world: Any, travel: Any, as_user: Any) -> None:
    book = draft_book(world)
    response = as_user(world.head_a).post(
        f"/targets/books/{book.pk}/import/",
        {
            "file": xlsx(
                [
                    row(权重=70),
                    row(
                        **{
                            "任务名称": "城中村改造",
                            "指标类型": "节点指标",
                            "目标值": None,
                            "权重": 30,
                            "节点": STONES,
                        }
                    ),
                ]
            )
        },
    )
    assert response.status_code == 302
    titles = list(book.tasks.live().values_list("title", flat=True))
    assert titles == ["招商引资", "城中村改造"]
    assert Task.objects.filter(book=book, withdrawn=True).count() == 2  # kept, not deleted


def test_one_bad_row_imports_nothing(world: Any, travel: Any, as_user: Any) -> None:
    book = draft_book(world)
    before = list(book.tasks.live().values_list("pk", flat=True))
    response = as_user(world.head_a).post(
        f"/targets/books/{book.pk}/import/",
        {"file": xlsx([row(权重=50), row(权重=50, 责任人="赵丙")])},
    )  # 赵丙 works in another county
    assert response.status_code == 400
    html = response.content.decode()
    assert "第3行" in html
    assert "“赵丙”不是东湖县财政局的干部" in html
    assert list(book.tasks.live().values_list("pk", flat=True)) == before


def test_namesakes_must_be_told_apart(world: Any, travel: Any, as_user: Any) -> None:
    twin = f.make_cadre(world.organ_a, "王甲")
    book = draft_book(world)
    response = as_user(world.head_a).post(
        f"/targets/books/{book.pk}/import/", {"file": xlsx([row(权重=100)])}
    )
    assert response.status_code == 400
    assert "重名" in response.content.decode()
    response = as_user(world.head_a).post(
        f"/targets/books/{book.pk}/import/",
        {"file": xlsx([row(权重=100, 责任人=f"王甲#{twin.pk}")])},
    )
    assert response.status_code == 302
    assert list(book.tasks.live().get().owners.all()) == [twin]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.xlsx", b"not a zip"), "不是有效的Excel"),
        (None, "只能包含一个工作表"),
    ],
)
def test_a_bad_file_is_refused(
    world: Any, travel: Any, as_user: Any, upload: Any, message: str
) -> None:
    book = draft_book(world)
    upload = upload or xlsx([row(权重=100)], extra_sheet=True)
    response = as_user(world.head_a).post(f"/targets/books/{book.pk}/import/", {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_approved_book_cannot_be_reimported(world: Any, travel: Any, as_user: Any) -> None:
    book = draft_book(world)
    act(book, world.head_a, "submit")
    act(book, world.city_admin, "approve")
    response = as_user(world.head_a).post(
        f"/targets/books/{book.pk}/import/", {"file": xlsx([row(权重=100)])}
    )
    assert response.status_code == 400
    assert "调整程序" in response.content.decode()
    assert book.tasks.live().count() == 2


def test_export_round_trips_through_import(world: Any, travel: Any, as_user: Any) -> None:
    source = draft_book(world)
    client = as_user(world.head_a)
    exported = client.get(f"/targets/books/{source.pk}/export.xlsx")
    assert exported.status_code == 200
    target = services.create_book(by=world.head_a, unit=world.organ_a, year=2026, kind="key")
    response = client.post(
        f"/targets/books/{target.pk}/import/",
        {"file": SimpleUploadedFile("导出.xlsx", exported.content)},
    )
    assert response.status_code == 302
    fields = ("title", "category", "indicator_kind", "target_value", "weight", "due_date")
    assert list(target.tasks.live().values_list(*fields)) == list(
        source.tasks.live().values_list(*fields)
    )
    assert [
        list(t.milestones.live().values_list("title", "due_date")) for t in target.tasks.live()
    ] == [list(t.milestones.live().values_list("title", "due_date")) for t in source.tasks.live()]
