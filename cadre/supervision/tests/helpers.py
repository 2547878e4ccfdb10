"""Shared builders for the supervision, accountability and tolerance tests."""

from datetime import date
from typing import Any

from django.core.cache import cache

from cadre.accountability import services as acc
from cadre.supervision import intake, services, throttle
from cadre.supervision.models import Case, Clue, Report
from tests.clock import current_clock

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def reset_throttles() -> None:
    throttle.reset()
    cache.clear()


def data(unit: Any, name: str = "", **kw: Any) -> intake.IntakeData:
    fields: dict[str, Any] = {
        "subject_unit_id": unit.pk,
        "subject_kind": "cadre" if name else "unit",
        "subject_name": name,
        "subject_post": "",
        "problem_kind": "inaction",
        "title": "办事拖延",
        "body": "多次前往办理，一直推诿不办。",
        "anonymous": True,
        "contact": "",
    }
    fields.update(kw)
    return intake.IntakeData(**fields)


def public_report(unit: Any, name: str = "", key: str = "k" * 16, **kw: Any) -> tuple[Report, str]:
    return intake.submit_public_report(data=data(unit, name, **kw), files=[], submission_key=key)


def staff_report(by: Any, unit: Any, name: str = "", **kw: Any) -> Report:
    return services.record_report(
        by=by, channel="letter", data=data(unit, name, **kw), received_on=current_clock().today
    )


def clue_for(by: Any, unit: Any, name: str = "") -> Clue:
    return services.accept_report(report=staff_report(by, unit, name), by=by)


def approve(clue: Clue, proposer: Any, approver: Any, disposal: str) -> Clue:
    services.propose_disposal(clue=clue, by=proposer, disposal=disposal, reason="按程序处置该线索")
    return services.decide_disposal(clue=clue, by=approver, approve=True)


def closed_case(proposer: Any, approver: Any, unit: Any, cadre: Any) -> Case:
    clue = clue_for(proposer, unit, cadre.name)
    approve(clue, proposer, approver, "preliminary_verification")
    case = Case.objects.get(clue=clue)
    services.add_case_fact(case=case, by=proposer, text="确有推诿", established=True)
    services.advance_case(case=case, by=proposer, target="reviewing")
    return services.advance_case(
        case=case, by=approver, target="closed", conclusion="confirmed", conclusion_text="问题属实"
    )


def measure(
    by: Any, cadre: Any, kind: str = "admonishment", on: date = date(2024, 3, 10), **kw: Any
) -> Any:
    fields: dict[str, Any] = {
        "kind": kind,
        "issuing_body": "东湖县纪委",
        "decided_on": on,
        "effective_on": on,
        "facts": "推诿扯皮，贻误工作",
        "article": "公务员法第五十七条",
    }
    if kind == "talk_reminder":
        fields["rectifications"] = (("一个月内整改到位", on),)
    fields.update(kw)
    return acc.record_measure(by=by, cadre=cadre, data=acc.MeasureInput(**fields))
