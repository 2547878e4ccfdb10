"""Pure parsing of the import sheets: no database."""

import io
from datetime import date

import openpyxl
import pytest

from cadre.cadres import excel
from cadre.cadres.tests import xlsx
from cadre.core.excel import ExcelFileError, RowError

TODAY = date(2025, 6, 30)
CADRE = xlsx.HEADERS[excel.SHEET_CADRES]
GOOD_ID = xlsx.id_number(1)
BAD_CHECK = GOOD_ID[:17] + ("1" if GOOD_ID[17] == "0" else "0")


def parse_cadres(*rows: list) -> tuple[list[excel.CadreRow], list[RowError]]:
    return excel.parse_cadres(xlsx.cells([CADRE, *rows]), today=TODAY)


def cadre_error(**over: object) -> list[RowError]:
    rows, errors = parse_cadres(xlsx.cadre(1, **over))
    assert rows == []
    return errors


def test_it_parses_a_cadre_row_and_derives_gender_and_birth_date_from_the_id():
    rows, errors = parse_cadres(xlsx.cadre(7))
    assert errors == []
    (row,) = rows
    assert row.row == 2
    assert row.name == "干部7"
    assert row.birth_date == date(1975, 1, 1)
    assert row.gender == "M"
    assert row.education == "bachelor"
    assert row.political_status == "cpc"
    assert row.unit == ("东湖县财政局",)
    assert row.rank == "level1_clerk"
    assert row.rank_since == date(2015, 1, 1)


def test_it_trims_whitespace_and_normalises_full_width_digits_in_the_id():
    full_width = xlsx.id_number(8).translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    rows, errors = parse_cadres(
        xlsx.cadre(
            8, 姓名="  王 甲\u3000", 身份证号=f" {full_width} ", 所在单位=" 东湖县 / 财政局 "
        ),
    )
    assert errors == []
    assert rows[0].name == "王 甲"
    assert rows[0].id_number == xlsx.id_number(8)
    assert rows[0].unit == ("东湖县", "财政局")


@pytest.mark.parametrize(
    ("over", "column", "message"),
    [
        ({"身份证号": 330102197501010011}, "身份证号", "数字格式"),
        ({"身份证号": BAD_CHECK}, "身份证号", "身份证号校验位错误"),
        ({"身份证号": "33010219750101001"}, "身份证号", "应为18位"),
        ({"身份证号": "330102197502300013"}, "身份证号", "出生日期不存在"),
        ({"参加工作时间": "2019-02-30"}, "参加工作时间", "日期「2019-02-30」不存在"),
        ({"参加工作时间": "明年"}, "参加工作时间", "格式不正确"),
        ({"参加工作时间": "2030-01-01"}, "参加工作时间", "晚于今天"),
        ({"参加工作时间": "1989-01-01"}, "参加工作时间", "16周岁"),
        ({"姓名": '=HYPERLINK("http://x")'}, "姓名", "公式"),
        ({"姓名": None}, "姓名", "必填"),
        ({"姓名": "王\ufffd"}, "姓名", "编码"),
        ({"姓名": "王\n甲"}, "姓名", "换行"),
        ({"学历": "本科"}, "学历", "可选：博士研究生、硕士研究生、大学本科"),
        ({"政治面貌": "群众"}, "入党时间", "不应填写入党时间"),
        ({"入党时间": None}, "入党时间", "必须填写入党时间"),
        ({"入党时间": "1990-01-01"}, "入党时间", "18周岁"),
        ({"任职级时间": None}, "任职级时间", "同时填写"),
        ({"任职级时间": "2005-01-01"}, "任职级时间", "早于参加工作时间"),
    ],
)
def test_it_reports_a_bad_cadre_cell_with_its_row_column_and_reason(over, column, message):
    errors = cadre_error(**over)
    assert [(e.row, e.column) for e in errors] == [(2, column)]
    assert message in errors[0].message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019-03-01", date(2019, 3, 1)),
        ("2019/3/1", date(2019, 3, 1)),
        ("2019.03.01", date(2019, 3, 1)),
        ("2019年3月1日", date(2019, 3, 1)),
        ("２０１９－０３－０１", date(2019, 3, 1)),
        ("20190301", date(2019, 3, 1)),
        (20190301, date(2019, 3, 1)),
        ("2019.03", date(2019, 3, 1)),
        ("2019年3月", date(2019, 3, 1)),
        (date(2019, 3, 1), date(2019, 3, 1)),
    ],
)
def test_it_reads_the_usual_date_spellings(raw, expected):
    assert excel.a_date(raw, TODAY) == expected


@pytest.mark.parametrize("raw", ["王\x00甲", "a\x1fb", "乱码\ufffd"])
def test_it_refuses_control_characters_as_a_broken_encoding(raw):
    with pytest.raises(excel.CellError, match="编码"):
        excel.clean_text(raw)


@pytest.mark.parametrize("raw", ["2019-13-01", "2019-02-29", "1899-12-31", 43525.5, "3/1/2019"])
def test_it_refuses_impossible_or_ambiguous_dates(raw):
    with pytest.raises(excel.CellError):
        excel.a_date(raw, TODAY)


def test_it_reports_a_duplicate_id_within_the_sheet_against_the_first_row():
    rows, errors = parse_cadres(xlsx.cadre(1), xlsx.cadre(2), xlsx.cadre(1, 姓名="又一个"))
    assert [r.row for r in rows] == [2, 3]
    assert errors == [RowError(4, "身份证号", "与第2行的身份证号重复（同一人只能登记一次）")]


def test_it_refuses_extra_missing_and_foreign_headers_without_reading_rows():
    extra = [*CADRE, "备注"]
    rows, errors = excel.parse_cadres(xlsx.cells([extra, [*xlsx.cadre(1), "x"]]), today=TODAY)
    assert rows == []
    assert [(e.row, e.column) for e in errors] == [(1, "L列")]
    assert "多余的列「备注」" in errors[0].message

    missing = [h for h in CADRE if h != "民族"]
    rows, errors = excel.parse_cadres(xlsx.cells([missing]), today=TODAY)
    assert errors == [RowError(1, "民族", "缺少列「民族」")]

    english = ["Name", "ID", "Ethnicity"]
    rows, errors = excel.parse_cadres(xlsx.cells([english]), today=TODAY)
    assert errors[0].message.startswith("表头与模板不一致")
    assert len(errors) == 1 + 3 + len(CADRE)


def test_it_maps_columns_by_header_so_reordered_columns_are_not_shifted():
    order = list(reversed(CADRE))
    row = list(reversed(xlsx.cadre(3)))
    rows, errors = excel.parse_cadres(xlsx.cells([order, row]), today=TODAY)
    assert errors == []
    assert rows[0].name == "干部3"


def test_it_refuses_data_in_a_column_without_header_and_skips_blank_rows():
    _, errors = parse_cadres([None] * len(CADRE), [*xlsx.cadre(1), None, "悄悄多一列"])
    assert errors == [RowError(3, "M列", "该列有内容但没有表头")]


def test_position_level_is_required_exactly_for_leadership_posts():
    header = xlsx.HEADERS[excel.SHEET_POSITIONS]
    rows, errors = excel.parse_positions(
        xlsx.cells(
            [
                header,
                xlsx.position("东湖县财政局", "局长", "乡科级正职"),
                xlsx.position("东湖县财政局", "副局长", "", 是否领导职务="是"),
                xlsx.position("东湖县财政局", "科员", "乡科级副职", 是否领导职务="否"),
                xlsx.position("东湖县财政局", "办事员", "", 职数="两个"),
            ]
        ),
        today=TODAY,
    )
    assert [r.title for r in rows] == ["局长"]
    assert rows[0].is_leadership is True
    assert rows[0].leadership_level == "section_chief"
    assert [(e.row, e.column) for e in errors] == [
        (3, "领导职务层次"),
        (4, "领导职务层次"),
        (5, "职数"),
    ]


def test_appointment_end_may_not_precede_its_start_and_secondment_is_not_primary():
    header = xlsx.HEADERS[excel.SHEET_APPOINTMENTS]
    rows, errors = excel.parse_appointments(
        xlsx.cells(
            [
                header,
                xlsx.appointment(1, "东湖县财政局", "局长", "2020-01-01", 免职时间="2019-01-01"),
                xlsx.appointment(1, "东湖县财政局", "局长", "2020-01-01", 任职方式="挂职"),
            ]
        ),
        today=TODAY,
    )
    assert errors == [RowError(2, "免职时间", "免职时间不能早于任职时间")]
    assert rows[0].is_primary is False


def test_unit_names_may_not_contain_the_path_separator():
    header = xlsx.HEADERS[excel.SHEET_UNITS]
    rows, errors = excel.parse_units(
        xlsx.cells([header, xlsx.unit("东湖/县", "示范市"), xlsx.unit("数据局", "示范市//东湖县")]),
        today=TODAY,
    )
    assert rows == []
    assert [(e.row, e.column) for e in errors] == [(2, "单位名称"), (3, "上级单位")]


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), read_only=True)


def test_workbook_refuses_unknown_and_hidden_sheets_and_caps_rows():
    with pytest.raises(ExcelFileError, match="不是可导入的工作表"):
        excel.parse_workbook(
            _open(xlsx.workbook({"x": []}, headers=False)), max_rows=10, today=TODAY
        )
    wb = openpyxl.Workbook()
    wb.active.title = excel.SHEET_CADRES
    wb.active.sheet_state = "hidden"
    wb.create_sheet(excel.SHEET_UNITS)
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ExcelFileError, match="隐藏"):
        excel.parse_workbook(_open(buf.getvalue()), max_rows=10, today=TODAY)
    big = xlsx.workbook({excel.SHEET_CADRES: [xlsx.cadre(n) for n in range(11)]})
    with pytest.raises(ExcelFileError, match="超过上限"):
        excel.parse_workbook(_open(big), max_rows=10, today=TODAY)


def test_every_template_sheet_parses_its_own_example_row_cleanly():
    wb = excel.build_template(list(excel.SHEETS), max_rows=100)
    assert wb.sheetnames == [*excel.SHEETS, excel.NOTES_SHEET]
    buf = io.BytesIO()
    wb.save(buf)
    parsed = excel.parse_workbook(_open(buf.getvalue()), max_rows=100, today=TODAY)
    assert parsed.problems == []
    assert (
        len(parsed.units),
        len(parsed.positions),
        len(parsed.cadres),
        len(parsed.appointments),
    ) == (1, 1, 1, 1)
    assert parsed.cadres[0].id_number == excel.EXAMPLE_ID
