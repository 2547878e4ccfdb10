from datetime import date
from typing import Any

from cadre.supervision.tests.helpers import measure
from cadre.tolerance.models import ExemptionApplication
from tests import factories as f


def _form(m: Any) -> dict[str, Any]:
    return {
        "applicant_kind": "self",
        "measure": m.pk,
        "facts": "改革试点未达预期",
        "distinction": "inexperience_vs_knowing_violation",
        "goal_missed": "未达预期",
        "per_guidance": "依照文件",
        "diligent": "尽责",
        "no_private_gain": "无私利",
    }


def test_a_cadre_applies_and_staff_work_the_queue(world: Any, as_user: Any) -> None:
    m = measure(world.city_admin, world.cadre_a, "admonishment", on=date(2025, 3, 10))
    response = as_user(world.cadre_user).post("/tolerance/apply/", _form(m))
    app = ExemptionApplication.objects.get()
    assert response.status_code == 302
    staff = as_user(world.city_admin)
    assert staff.get("/tolerance/").status_code == 200
    assert staff.get(f"/tolerance/{app.pk}/").status_code == 200
    skipped = staff.post(f"/tolerance/{app.pk}/feedback/", {"text": "x"})
    assert skipped.status_code == 400
    assert "不能跳过环节" in skipped.content.decode()
    verify = {
        "note": "已核实",
        **{f"{k}_ok": "1" for k in ("goal_missed", "per_guidance", "diligent", "no_private_gain")},
    }
    assert staff.post(f"/tolerance/{app.pk}/verify/", verify).status_code == 302
    app.refresh_from_db()
    assert app.status == "verified"


def test_someone_elses_measure_is_refused_on_the_page(world: Any, as_user: Any) -> None:
    m = measure(world.city_admin, world.cadre_town, "admonishment")
    # the measure belongs to another cadre: out of the applicant's scope → 404
    response = as_user(world.cadre_user).post("/tolerance/apply/", _form(m))
    assert response.status_code == 404
    assert not ExemptionApplication.objects.exists()


def test_other_units_cannot_see_an_application(world: Any, as_user: Any) -> None:
    m = measure(world.city_admin, world.cadre_a, "admonishment", on=date(2025, 3, 10))
    as_user(world.cadre_user).post("/tolerance/apply/", _form(m))
    app = ExemptionApplication.objects.get()
    other = as_user(f.make_user("org_b", role="org_admin", unit=world.county_b))
    assert other.get(f"/tolerance/{app.pk}/").status_code == 404
    assert other.get("/tolerance/").context["page"].paginator.count == 0
    assert as_user(world.head_a).get("/tolerance/").status_code == 403
