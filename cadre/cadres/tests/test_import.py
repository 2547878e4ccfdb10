"""The import service, the CLI and the web page: all or nothing, scoped, set-based."""

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from cadre.audit.models import AuditEvent
from cadre.cadres import excel, services
from cadre.cadres.excel import Problem
from cadre.cadres.importing import import_workbook
from cadre.cadres.models import Appointment, Cadre, RankRecord
from cadre.cadres.tests import xlsx
from cadre.core.models import RuleSetting
from cadre.orgs.models import OrgUnit, Position
from tests import factories as f

U, P, C, A = excel.SHEET_UNITS, excel.SHEET_POSITIONS, excel.SHEET_CADRES, excel.SHEET_APPOINTMENTS
ORGAN_A = "东湖县财政局"


def registry_counts() -> tuple[int, ...]:
    models = (OrgUnit, Position, Cadre, Appointment, RankRecord)
    return (*(m.objects.count() for m in models), Cadre.history.count())


def run(world, sheets, by=None):
    return import_workbook(data=xlsx.workbook(sheets), by=by or world.city_admin)


def refused(world, sheets, by=None) -> list[Problem]:
    before = registry_counts()
    result = run(world, sheets, by)
    assert not result.ok
    assert registry_counts() == before
    return result.problems


def test_one_bad_row_among_500_writes_nothing_and_reports_exactly_that_row(world):
    rows = [xlsx.cadre(n) for n in range(500)]
    bad = rows[249][1]
    rows[249][1] = bad[:17] + ("1" if bad[17] == "0" else "0")
    problems = refused(world, {C: rows})
    assert problems == [Problem(C, 251, "身份证号", "身份证号校验位错误")]


def test_a_10000_row_file_of_every_sheet_imports_in_one_go(world):
    # given 50 new units (10 offices, each with 4 sub-units), 500 posts, 4,725 cadres and posts
    units = [xlsx.unit(f"东湖县第{i}局", "示范市/东湖县") for i in range(10)]
    units += [
        xlsx.unit(f"第{i}局{j}科", f"东湖县/东湖县第{i}局", "内设机构")
        for i in range(10)
        for j in range(4)
    ]
    names = [f"东湖县第{i}局" for i in range(10)] + [
        f"东湖县第{i}局/第{i}局{j}科" for i in range(10) for j in range(4)
    ]
    positions = [xlsx.position(n, "负责人", "乡科级正职") for n in names]
    positions += [xlsx.position(n, f"科员{k}", "") for n in names for k in range(9)]
    cadres, appointments = [], []
    for n in range(4725):
        unit = names[n % 50]
        cadres.append(xlsx.cadre(n, unit))
        title = "负责人" if n < 50 else f"科员{n % 9}"
        end = "2019-12-31" if n % 2 else None  # odd cadres have left their post
        appointments.append(xlsx.appointment(n, unit, title, "2016-05-01", 免职时间=end))
    sheets = {U: units, P: positions, C: cadres, A: appointments}
    assert sum(len(v) for v in sheets.values()) == 10_000
    before = registry_counts()

    # when
    result = run(world, sheets)

    # then
    assert result.ok, result.problems[:5]
    assert result.counts == {
        "units": 50,
        "positions": 500,
        "cadres": 4725,
        "ranks": 4725,
        "appointments": 4725,
        "refreshed": 0,
    }
    assert registry_counts()[:5] == (
        before[0] + 50,
        before[1] + 500,
        before[2] + 4725,
        before[3] + 4725,
        before[4] + 4725,
    )
    office = OrgUnit.objects.get(name="东湖县第3局")
    sub = OrgUnit.objects.get(name="第3局2科")
    assert office.path == f"{world.county_a.path}{office.pk}/"
    assert sub.path == f"{office.path}{sub.pk}/"
    assert sub.depth == office.depth + 1 == world.county_a.depth + 2
    boss = Cadre.objects.get(id_hash=services.id_fields(xlsx.id_number(0))["id_hash"])
    assert (boss.current_title, boss.is_leader, boss.leadership_level) == (
        "负责人",
        True,
        "section_chief",
    )
    assert boss.org_unit.name == "东湖县第0局"
    assert boss.current_post_since == date(2016, 5, 1)
    assert boss.rank == "level1_clerk"
    ended = Cadre.objects.get(id_hash=services.id_fields(xlsx.id_number(1))["id_hash"])
    assert ended.current_title == ""
    assert Cadre.history.count() == before[5] + 4725
    event = AuditEvent.objects.get(action="import")
    assert event.actor == world.city_admin
    assert event.detail["counts"]["cadres"] == 4725
    assert event.detail["cli"] is False


def test_re_uploading_the_same_file_creates_no_duplicates(world):
    sheets = {
        U: [xlsx.unit("东湖县数据局", "示范市/东湖县")],
        P: [xlsx.position("东湖县数据局", "局长", "乡科级正职")],
        C: [xlsx.cadre(1, "东湖县数据局")],
        A: [xlsx.appointment(1, "东湖县数据局", "局长")],
    }
    assert run(world, sheets).ok
    problems = refused(world, sheets)
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        (U, 2, "单位名称"),
        (P, 2, "职位名称"),
        (C, 2, "身份证号"),
        (A, 2, "任职时间"),
    ]
    assert "已在系统中登记" in problems[2].message
    assert "重叠" in problems[3].message


def test_a_new_appointment_refreshes_the_current_post_of_a_registered_cadre(world):
    # a first leading post is a promotion: without training records, 第七条(五) would refuse it
    RuleSetting.objects.create(key="eligibility.training_hours_five_years", value=0)
    cadre = f.make_cadre(world.town_a, "孙丁", id_number=xlsx.id_number(901))
    f.make_position(world.organ_a, "副局长", is_leadership=True, leadership_level="section_deputy")
    result = run(world, {A: [xlsx.appointment(901, ORGAN_A, "副局长", "2022-02-01")]})
    assert result.ok, result.problems
    assert result.counts["refreshed"] == 1
    cadre.refresh_from_db()
    assert (cadre.org_unit, cadre.current_title, cadre.is_leader) == (world.organ_a, "副局长", True)
    assert cadre.history.first().history_change_reason == "Excel导入"


@pytest.mark.parametrize(
    ("over", "column", "message"),
    [
        ({"身份证号": 330102197501010011}, "身份证号", "数字格式"),
        ({"参加工作时间": "2019-02-30"}, "参加工作时间", "不存在"),
        ({"学历": "=1+1"}, "学历", "公式"),
        ({"所在单位": "东湖县税务局"}, "所在单位", "未找到单位「东湖县税务局」"),
    ],
)
def test_bad_cells_are_refused_with_a_chinese_reason_and_nothing_written(
    world, over, column, message
):
    problems = refused(world, {C: [xlsx.cadre(1), xlsx.cadre(2, **over)]})
    assert [(p.sheet, p.row, p.column) for p in problems] == [(C, 3, column)]
    assert message in problems[0].message


def test_not_an_excel_file_and_an_oversize_file_are_refused(world, settings):
    assert not import_workbook(data=b"name,id\n", by=world.city_admin).ok
    result = import_workbook(data=b"PK\x03\x04 not really a zip", by=world.city_admin)
    assert result.problems == [Problem("", 0, "", "文件不是有效的Excel（.xlsx）文件")]
    settings.CADRE_IMPORT_MAX_BYTES = 1000
    result = run(world, {C: [xlsx.cadre(1)]})
    assert "文件大小超过上限" in result.problems[0].message
    assert AuditEvent.objects.filter(action="import_refused").count() == 3
    assert not Cadre.objects.filter(name="干部1").exists()


def test_extra_or_missing_columns_refuse_the_file(world):
    data = xlsx.workbook({C: [[*xlsx.HEADERS[C], "备注"], [*xlsx.cadre(1), "x"]]}, headers=False)
    result = import_workbook(data=data, by=world.city_admin)
    assert [(p.sheet, p.row) for p in result.problems] == [(C, 1)]
    assert "多余的列「备注」" in result.problems[0].message
    missing = [h for h in xlsx.HEADERS[C] if h != "身份证号"]
    data = xlsx.workbook({C: [missing]}, headers=False)
    result = import_workbook(data=data, by=world.city_admin)
    assert result.problems == [Problem(C, 1, "身份证号", "缺少列「身份证号」")]


def test_duplicate_person_within_the_file_and_against_the_registry(world):
    f.make_cadre(world.organ_a, "已登记", id_number=xlsx.id_number(5))
    problems = refused(world, {C: [xlsx.cadre(4), xlsx.cadre(5), xlsx.cadre(4)]})
    assert [(p.row, p.column) for p in problems] == [(3, "身份证号"), (4, "身份证号")]
    assert "已在系统中登记" in problems[0].message
    assert "与第2行的身份证号重复" in problems[1].message


def test_overlapping_appointments_within_the_file_and_against_the_registry(world):
    cadre = f.make_cadre(world.organ_a, "钱戊", id_number=xlsx.id_number(7))
    f.make_appointment(cadre, Position.objects.get(title="局长"), date(2019, 3, 1))
    f.make_position(world.organ_a, "科员")
    problems = refused(
        world,
        {
            C: [xlsx.cadre(8)],
            A: [
                xlsx.appointment(7, ORGAN_A, "科员", "2021-01-01"),  # the 局长 post is still open
                xlsx.appointment(8, ORGAN_A, "科员", "2015-01-01", 免职时间="2020-06-30"),
                xlsx.appointment(8, ORGAN_A, "局长", "2020-01-01"),  # overlaps row 3
                xlsx.appointment(
                    8, ORGAN_A, "局长", "2020-06-30", 任职方式="挂职"
                ),  # secondment: ok
            ],
        },
    )
    assert [(p.row, p.column) for p in problems] == [(2, "任职时间"), (4, "任职时间")]
    assert "系统中已有的任职（东湖县财政局局长，2019-03-01起）" in problems[0].message
    assert "与第3行的任职时间重叠" in problems[1].message


def test_touching_appointments_do_not_overlap(world):
    f.make_position(world.organ_a, "科员")
    result = run(
        world,
        {
            C: [xlsx.cadre(8)],
            A: [
                xlsx.appointment(8, ORGAN_A, "科员", "2015-01-01", 免职时间="2020-06-30"),
                xlsx.appointment(8, ORGAN_A, "局长", "2020-06-30"),
            ],
        },
    )
    assert result.ok, result.problems


def test_unknown_unit_position_and_cadre_are_row_errors(world):
    problems = refused(
        world,
        {
            P: [xlsx.position("东湖县不存在局", "局长", "乡科级正职")],
            A: [xlsx.appointment(99, ORGAN_A, "处长")],
        },
    )
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        (P, 2, "单位名称"),
        (A, 2, "身份证号"),
        (A, 2, "职位名称"),
    ]
    assert problems[2].message == (
        "「示范市/东湖县/东湖县财政局」没有职位「处长」（可在“职位”表中新增）"
    )
    assert "未找到单位「东湖县不存在局」" in problems[0].message


def test_a_county_admin_cannot_import_into_another_county(world):
    admin_a = f.make_user("admin_a", role="org_admin", unit=world.county_a)
    problems = refused(
        world,
        {
            U: [xlsx.unit("西山县新局", "西山县")],
            C: [xlsx.cadre(1, "西山县财政局"), xlsx.cadre(2, "示范市/东湖县/东湖县财政局")],
        },
        by=admin_a,
    )
    where = [(p.sheet, p.row, p.column) for p in problems]
    assert where == [(U, 2, "上级单位"), (C, 2, "所在单位")]
    assert problems[1].message == "未找到单位「西山县财政局」（或不在您的管理范围内）"
    # the same admin imports inside the county, naming the path from above its scope
    result = run(world, {C: [xlsx.cadre(2, "示范市/东湖县/东湖县财政局")]}, by=admin_a)
    assert result.ok, result.problems


def test_a_registry_cadre_outside_scope_is_not_found_by_id(world):
    admin_a = f.make_user("admin_a", role="org_admin", unit=world.county_a)
    f.make_cadre(world.organ_b, "外县人", id_number=xlsx.id_number(3))
    f.make_position(world.organ_a, "科员")
    problems = refused(world, {A: [xlsx.appointment(3, ORGAN_A, "科员")]}, by=admin_a)
    assert [(p.row, p.column) for p in problems] == [(2, "身份证号")]
    assert "不在您的管理范围内" in problems[0].message


def test_ambiguous_unit_names_need_the_parent_path(world):
    f.make_unit("办公室", world.organ_a, kind="internal")
    f.make_unit("办公室", world.organ_b, kind="internal")
    problems = refused(world, {C: [xlsx.cadre(1, "办公室")]})
    assert "2个同名单位" in problems[0].message
    assert "东湖县财政局/办公室" in problems[0].message
    assert run(world, {C: [xlsx.cadre(1, "东湖县财政局/办公室")]}).ok


def test_units_may_not_repeat_a_name_under_one_parent_nor_hang_under_a_dissolved_unit(world):
    OrgUnit.objects.filter(pk=world.town_a.pk).update(dissolved_on=date(2024, 1, 1))
    problems = refused(
        world,
        {
            U: [
                xlsx.unit("东湖县新局", "东湖县"),
                xlsx.unit("东湖县新局", "示范市/东湖县"),
                xlsx.unit("东湖县财政局", "东湖县"),
                xlsx.unit("村委", "东湖县青石镇"),
            ],
        },
    )
    assert [(p.row, p.message) for p in problems] == [
        (3, "与第2行重复（同一上级下重名）"),
        (4, "「示范市/东湖县」下已有名为「东湖县财政局」的单位"),
        (5, "单位「示范市/东湖县/东湖县青石镇」已撤销"),
    ]


def test_only_org_admins_may_import(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(world, {C: [xlsx.cadre(1)]}, by=world.head_a)


def test_full_width_id_is_stored_as_the_same_person(world):
    full_width = xlsx.id_number(6).translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert run(world, {C: [xlsx.cadre(6, 身份证号=full_width, 姓名=" 周己 ")]}).ok
    cadre = Cadre.objects.get(name="周己")
    assert cadre.id_hash == services.id_fields(xlsx.id_number(6))["id_hash"]
    assert cadre.id_masked == xlsx.id_number(6)[:6] + "********" + xlsx.id_number(6)[-4:]


# ---------------------------------------------------------------- CLI


def write(tmp_path: Path, sheets: dict) -> str:
    path = tmp_path / "导入.xlsx"
    path.write_bytes(xlsx.workbook(sheets))
    return str(path)


def test_cli_imports_as_the_system_and_audits_it(world, tmp_path, capsys):
    call_command("import_xlsx", write(tmp_path, {C: [xlsx.cadre(1), xlsx.cadre(2)]}))
    assert "导入成功：单位 0 条，职位 0 条，干部 2 条" in capsys.readouterr().out
    event = AuditEvent.objects.get(action="import")
    assert event.actor is None
    assert event.detail["cli"] is True


def test_cli_prints_row_errors_and_fails_with_nothing_written(world, tmp_path, capsys):
    before = registry_counts()
    path = write(tmp_path, {C: [xlsx.cadre(1), xlsx.cadre(2, 参加工作时间="2019-02-30")]})
    with pytest.raises(CommandError, match="共 1 处问题，未写入任何数据"):
        call_command("import_xlsx", path)
    err = capsys.readouterr().err
    assert "工作表\t行\t列\t问题" in err
    assert "干部\t3\t参加工作时间\t日期「2019-02-30」不存在" in err
    assert registry_counts() == before


def test_cli_user_must_be_an_org_admin_and_file_must_be_xlsx(world, tmp_path):
    path = write(tmp_path, {C: [xlsx.cadre(1)]})
    with pytest.raises(CommandError, match="不是组织部干部"):
        call_command("import_xlsx", path, user="head_a")
    call_command("import_xlsx", path, user="city_admin")
    assert AuditEvent.objects.get(action="import").actor == world.city_admin
    csv = tmp_path / "a.csv"
    csv.write_text("x")
    with pytest.raises(CommandError, match=r"只接受 \.xlsx"):
        call_command("import_xlsx", str(csv))


# ---------------------------------------------------------------- web page


def upload(client, data: bytes, name: str = "干部.xlsx"):
    return client.post("/cadres/import/", {"file": SimpleUploadedFile(name, data)})


def test_page_imports_and_shows_counts(world, as_user):
    client = as_user(world.city_admin)
    assert client.get("/cadres/import/").status_code == 200
    response = upload(client, xlsx.workbook({C: [xlsx.cadre(1)]}))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "导入成功：单位 0 条，职位 0 条，干部 1 条" in page


def test_page_shows_row_errors_and_offers_the_report(world, as_user):
    client = as_user(world.city_admin)
    response = upload(client, xlsx.workbook({C: [xlsx.cadre(1), xlsx.cadre(2, 学历="本科")]}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "发现 1 处问题，未写入任何数据" in page
    assert "<td>干部</td><td>3</td><td>学历</td>" in page
    report = client.get("/cadres/import/errors.xlsx")
    assert report.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(report.content)).active.values)
    assert rows[0] == ("工作表", "行号", "列", "问题")
    assert rows[1][:3] == ("干部", 3, "学历")
    assert not Cadre.objects.filter(name="干部1").exists()


def test_page_refuses_wrong_type_and_oversize_files(world, as_user, settings):
    client = as_user(world.city_admin)
    response = upload(client, b"<html>", name="evil.xlsm")
    assert response.status_code == 400
    assert "只接受 .xlsx" in response.content.decode()
    response = upload(client, b"GIF89a....", name="fake.xlsx")
    assert "文件不是有效的Excel" in response.content.decode()
    settings.CADRE_IMPORT_MAX_BYTES = 2000
    response = upload(client, xlsx.workbook({C: [xlsx.cadre(n) for n in range(50)]}))
    assert response.status_code == 413
    assert "文件大小超过上限" in response.content.decode()
    assert not Cadre.objects.filter(name="干部1").exists()


def test_page_and_templates_are_for_org_admins_only(world, as_user):
    client = as_user(world.head_a)
    assert client.get("/cadres/import/").status_code == 403
    assert upload(client, xlsx.workbook({C: [xlsx.cadre(1)]})).status_code == 403
    assert client.get("/cadres/import/template.xlsx").status_code == 403
    assert not Cadre.objects.filter(name="干部1").exists()


def test_templates_download_with_headers_example_and_notes(world, as_user):
    client = as_user(world.city_admin)
    response = client.get("/cadres/import/template.xlsx")
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["单位", "职位", "干部", "任职", "填写说明"]
    one = client.get("/cadres/import/template/cadres.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(one.content))
    assert wb.sheetnames == ["干部", "填写说明"]
    assert [c.value for c in wb["干部"][1]] == xlsx.HEADERS[C]
    assert wb["干部"]["B2"].value == excel.EXAMPLE_ID
    assert client.get("/cadres/import/template/nope.xlsx").status_code == 404
