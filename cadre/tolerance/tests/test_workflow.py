"""容错免责: apply → verify → determine (org + discipline) → feedback → publish."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cadre.accountability.models import Measure, Notice
from cadre.accountability.rules import RuleError
from cadre.cadres.decisions import answer
from cadre.supervision.tests.helpers import closed_case, measure
from cadre.tolerance import services
from cadre.tolerance.models import ExemptionApplication
from tests import factories as f

STATEMENTS = {
    "goal_missed": "试点项目未达到预期招商目标",
    "per_guidance": "依照省委改革试点文件实施",
    "diligent": "全程参与，按期推进",
    "no_private_gain": "无任何个人利益",
}


def _apply(by: Any, cadre: Any, m: Any = None, case: Any = None, kind: str = "self") -> Any:
    return services.apply(
        by=by,
        cadre=cadre,
        measure=m,
        case=case,
        data=services.ApplicationInput(
            facts="推进改革试点未达预期，被诫勉",
            distinction="inexperience_vs_knowing_violation",
            statements=STATEMENTS,
            applicant_kind=kind,
        ),
    )


def _verify(app: Any, by: Any, ok: bool = True, exclusions: list[str] | None = None) -> Any:
    findings = dict.fromkeys(STATEMENTS, (ok, "经核实"))
    return services.verify(
        app=app, by=by, findings=findings, exclusions=exclusions or [], note="调阅会议纪要和文件"
    )


def _both_sign(app: Any, org: Any, discipline: Any, outcome: str = "exempted") -> Any:
    services.sign_determination(
        app=app, by=org, as_role="org_admin", outcome=outcome, reason="符合容错情形"
    )
    return services.sign_determination(
        app=app, by=discipline, as_role="discipline", outcome=outcome, reason="符合容错情形"
    )


def _on(day: date) -> Any:
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )


@_on(date(2025, 4, 15))
def test_an_exemption_removes_the_block_but_keeps_the_history(world: Any) -> None:
    # given an admonishment that blocks promotion (2025-03-10 to 2025-09-09)
    m = measure(world.city_admin, world.cadre_a, "admonishment", on=date(2025, 3, 10))
    on = date(2025, 5, 1)
    assert not answer(world.cadre_a.pk, on).as_json()["promotion"]["eligible"]
    # when the cadre applies and org and discipline exempt jointly, today 2025-04-15
    app = _apply(world.cadre_user, world.cadre_a, m)
    _verify(app, world.city_admin)
    app = _both_sign(app, world.city_admin, world.discipline_a)
    # then the measure stays on record, 已免责, and blocks nothing from the exemption on
    m.refresh_from_db()
    assert (app.status, app.outcome, m.exempted) == ("determined", "exempted", True)
    assert (m.exempted_on, m.status, m.get_status_display()) == (
        date(2025, 4, 15),
        "exempted",
        "已免责",
    )
    result = answer(world.cadre_a.pk, on).as_json()
    assert all(result[k]["eligible"] for k in ("promotion", "excellent_grade", "rank_promotion"))
    # the days before the exemption keep their answer (ADR 006)
    before = answer(world.cadre_a.pk, date(2025, 4, 14)).as_json()["promotion"]
    assert not before["eligible"]
    assert before["blocks"][0]["until"] == "2025-04-14"
    assert Measure.objects.filter(pk=m.pk).exists()
    assert not Measure.objects.negative_evidence().filter(pk=m.pk).exists()
    # feedback, then publication as a notice with the name masked
    services.give_feedback(app=app, by=world.city_admin, text="经认定，予以免责")
    services.publish(
        app=app,
        by=world.city_admin,
        title="关于王甲同志容错免责的情况",
        summary="王甲同志在改革试点中……予以免责",
        public=True,
    )
    notice = Notice.objects.get()
    assert "王某" in notice.published_body
    assert "王甲" not in notice.published_body + notice.title


def test_a_case_exemption_covers_its_measures_now_and_later(
    world: Any, second_discipline: Any
) -> None:
    with _on(date(2025, 5, 20)):  # the determination
        case = closed_case(world.discipline_a, second_discipline, world.town_a, world.cadre_town)
        app = _apply(world.city_admin, world.cadre_town, case=case, kind="unit")
        _verify(app, world.discipline_a)
        _both_sign(app, world.city_admin, world.discipline_a)
    from cadre.accountability import services as acc

    with _on(date(2025, 6, 2)):
        later = acc.record_measure(
            by=world.discipline_a,
            cadre=world.cadre_town,
            case=case,
            data=acc.MeasureInput(
                kind="gov_warning",
                issuing_body="县监委",
                decided_on=date(2025, 6, 1),
                effective_on=date(2025, 6, 1),
                facts="推诿",
                article="政务处分法第三十九条",
            ),
        )
    assert (later.exempted, later.exempted_on, later.status) == (
        True,
        date(2025, 5, 20),
        "exempted",
    )
    for on in (date(2025, 6, 1), date(2025, 7, 1)):  # exempted before it took effect
        assert answer(world.cadre_town.pk, on).as_json()["promotion"]["eligible"]


@_on(date(2026, 9, 1))
def test_exempting_a_chained_earlier_sanction_recomputes_the_later_one(world: Any) -> None:
    # 处分条例 第十条第二款: 记过 2026-01-05 (to 2027-01-04); 记大过 2026-07-05 runs on from its
    # rest, to 2028-07-04.
    demerit = measure(world.discipline_a, world.cadre_a, "gov_demerit", on=date(2026, 1, 5))
    major = measure(world.discipline_a, world.cadre_a, "gov_major_demerit", on=date(2026, 7, 5))
    assert (major.influence_until, major.chained_on) == (date(2028, 7, 4), demerit)
    app = _apply(world.cadre_user, world.cadre_a, demerit)
    _verify(app, world.city_admin)
    app = _both_sign(app, world.city_admin, world.discipline_a)
    demerit.refresh_from_db()
    major.refresh_from_db()
    # the exemption dates from the determination; the 记大过 stands alone (第八条: 18 months)
    assert (demerit.status, demerit.exempted_on) == ("exempted", app.determined_on)
    assert (major.influence_until, major.chained_on, major.status) == (
        date(2028, 1, 4),
        None,
        "in_force",
    )
    # before the determination both blocked; from it on the 记大过 alone blocks, to 2028-01-04
    before = answer(world.cadre_a.pk, date(2026, 8, 31)).as_json()["promotion"]["blocks"]
    assert {b["until"] for b in before} == {"2026-08-31", "2028-01-04"}
    after = answer(world.cadre_a.pk, date(2026, 9, 1)).as_json()["promotion"]["blocks"]
    assert [b["until"] for b in after] == ["2028-01-04"]


def test_an_exclusion_refuses_the_application(world: Any) -> None:
    m = measure(world.city_admin, world.cadre_a, "admonishment", on=date(2025, 3, 10))
    app = _verify(
        _apply(world.cadre_user, world.cadre_a, m), world.city_admin, exclusions=["private_gain"]
    )
    with pytest.raises(RuleError, match="谋取私利"):
        services.sign_determination(
            app=app, by=world.city_admin, as_role="org_admin", outcome="exempted", reason="x"
        )
    app = _both_sign(app, world.city_admin, world.discipline_a, outcome="refused")
    m.refresh_from_db()
    assert (app.outcome, m.exempted) == ("refused", False)


def test_a_failed_criterion_allows_only_lightening(world: Any) -> None:
    m = measure(world.discipline_a, world.cadre_a, "gov_demerit", on=date(2025, 3, 10))
    app = _verify(_apply(world.cadre_user, world.cadre_a, m), world.city_admin, ok=False)
    with pytest.raises(RuleError, match="不能认定免责"):
        services.sign_determination(
            app=app, by=world.city_admin, as_role="org_admin", outcome="exempted", reason="x"
        )
    services.sign_determination(
        app=app,
        by=world.city_admin,
        as_role="org_admin",
        outcome="lightened",
        reason="从轻",
        lighter_kind="gov_warning",
    )
    services.sign_determination(
        app=app, by=world.discipline_a, as_role="discipline", outcome="lightened", reason="从轻"
    )
    m.refresh_from_db()
    assert m.status == "superseded"
    assert Measure.objects.get(replaces=m).kind == "gov_warning"


def test_an_exemption_for_a_measure_that_is_not_the_applicants_is_refused(world: Any) -> None:
    others = measure(world.city_admin, world.cadre_town, "admonishment")
    with pytest.raises(RuleError, match="不属于申请人"):
        _apply(world.cadre_user, world.cadre_a, others)
    with pytest.raises(RuleError, match="只能由干部本人提交"):
        _apply(world.city_admin, world.cadre_town, others, kind="self")
    assert not ExemptionApplication.objects.exists()


def test_skipped_steps_and_one_sided_determinations_are_refused(world: Any) -> None:
    m = measure(world.city_admin, world.cadre_a, "admonishment", on=date(2025, 3, 10))
    app = _apply(world.cadre_user, world.cadre_a, m)
    with pytest.raises(RuleError, match="待核实"):
        services.sign_determination(
            app=app, by=world.city_admin, as_role="org_admin", outcome="exempted", reason="x"
        )
    with pytest.raises(RuleError, match="不能跳过环节"):
        services.give_feedback(app=app, by=world.city_admin, text="x")
    _verify(app, world.city_admin)
    services.sign_determination(
        app=app, by=world.city_admin, as_role="org_admin", outcome="exempted", reason="符合"
    )
    with pytest.raises(RuleError, match="意见不一致"):
        services.sign_determination(
            app=app, by=world.discipline_a, as_role="discipline", outcome="refused", reason="不符合"
        )
    both = f.make_user("both", role="org_admin", unit=world.city)
    from cadre.accounts.models import Grant

    Grant.objects.create(user=both, role="discipline", org_unit=world.city)
    with pytest.raises(RuleError, match="本部门已签署"):
        services.sign_determination(
            app=app, by=both, as_role="org_admin", outcome="exempted", reason="x"
        )
    app.refresh_from_db()
    assert (app.status, app.discipline_outcome) == ("verified", "")
    m.refresh_from_db()
    assert not m.exempted


def test_deadlines_are_working_days(world: Any) -> None:
    m = measure(world.city_admin, world.cadre_a, "admonishment", on=date(2025, 3, 10))
    app = _apply(world.cadre_user, world.cadre_a, m)
    assert app.verify_due_on > app.applied_on
    assert app.due_on == app.verify_due_on
