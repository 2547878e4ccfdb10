"""The written notification as a PDF (issue 5 item 7): one A4 page in the layout of the
公务员年度考核登记表, downloaded by the cadre or staff in scope, 404 out of scope, audited."""

import re
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from reportlab.lib.rl_accel import escapePDF

from cadre.assessments import rules
from cadre.assessments.models import Participant
from cadre.assessments.pdf import notice_pdf
from cadre.assessments.services import cycles, decisions, evaluation, proposals
from cadre.assessments.services.compile import compile_evidence
from cadre.audit.models import AuditEvent

from .conftest import go, window


def encoded(text: str) -> bytes:
    """How reportlab writes `text` in the STSong-Light (UniGB-UCS2-H) content stream."""
    return escapePDF(text.encode("utf-16-be")).encode("latin-1")


_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def shown_text(data: bytes) -> str:
    """All the Chinese text shown on the page (the CID strings decoded), whitespace removed:
    lines wrap anywhere, so a phrase is looked for in the joined text."""
    parts = []
    for raw in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", data, re.S):
        chars = re.sub(
            rb"\\([0-7]{1,3}|.)",
            lambda m: bytes([int(m[1], 8)]) if m[1][:1].isdigit() else _ESCAPES.get(m[1], m[1]),
            raw,
        )
        if len(chars) % 2 == 0:
            parts.append(chars.decode("utf-16-be", errors="replace"))
    return re.sub(r"\s+", "", "".join(parts))


def pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", data))


# ---- notice_pdf alone (no database) ------------------------------------------------------


def _context(**decision: Any) -> dict[str, Any]:
    cadre = SimpleNamespace(
        name="欧阳明", birth_date=date(1980, 5, 1), get_gender_display=lambda: "男"
    )
    p = SimpleNamespace(
        cycle=SimpleNamespace(year=2025),
        org_unit=SimpleNamespace(name="东湖县财政局"),
        title="科员",
        summary="全年完成预算编审任务。",
        evaluation_text="履职尽责",
        get_proposed_grade_display=lambda: "称职",
    )
    d = SimpleNamespace(decided_on=date(2026, 1, 20), **decision)
    return {"p": p, "cadre": cadre, "decision": d, "grade": "称职", "deadline": None}


def test_notice_pdf_is_one_page_with_the_form_and_the_cadres_data() -> None:
    data = notice_pdf(_context())
    assert data.startswith(b"%PDF")
    assert pages(data) == 1
    for text in [
        "公务员年度考核登记表（2025年度）",
        "欧阳明",
        "东湖县财政局",
        "全年完成预算编审任务",
        "主管领导",
        "机关负责人",
        "本人意见",
        "称职",
        "2026年1月20日",
    ]:
        assert encoded(text) in data, text
    # not acknowledged yet: a blank line to sign, and no signed name
    assert encoded("签名：＿＿＿＿") in data
    assert encoded("已签收") not in data


def test_notice_pdf_shows_the_acknowledgement_and_the_ungraded_reason() -> None:
    data = notice_pdf(
        _context(
            acknowledged_at=datetime(2026, 1, 22, 9, 0),
            acknowledgement_text="无异议",
            review_waived=True,
            ungraded_reason="新录用人员试用期内",
        )
    )
    shown = shown_text(data)
    for text in [
        "已签收，本人对考核结果无异议，不申请复核",
        "签名：欧阳明2026年1月22日",
        "新录用人员试用期内",
    ]:
        assert text in shown
    assert encoded("签名：＿＿＿＿") not in data


def test_a_very_long_summary_still_fits_on_one_page() -> None:
    context = _context()
    context["p"].summary = "认真履行岗位职责。<b>&\n" * 800
    data = notice_pdf(context)
    assert pages(data) == 1
    shown = shown_text(data)
    assert "认真履行岗位职责。<b>&" in shown
    assert "（全文共11200字，见系统）" in shown


# ---- the download ------------------------------------------------------------------------


@pytest.fixture
def decided(county: Any, cycle: Any) -> Any:
    """The county cycle decided and notified; 王甲 (the cadre_user) wrote a summary."""
    admin = county.city_admin
    go(cycle, admin, rules.SUMMARIES)
    me = Participant.objects.get(cycle=cycle, cadre=county.cadre_a)
    cycles.submit_summary(participant=me, by=county.cadre_user, text="全年完成预算编审任务")
    go(cycle, admin, rules.DEMOCRATIC)
    opens, closes = window()
    session = evaluation.create_session(
        cycle=cycle, by=admin, org_unit=county.organ_a, title="", opens_at=opens, closes_at=closes
    )
    ids = list(evaluation.subjects(session).values_list("id", flat=True))
    for t in evaluation.issue_tokens(session=session, by=admin, category="subordinate", count=5):
        evaluation.cast_ballot(token=t, choices=dict.fromkeys(ids, "competent"))
    evaluation.close_session(session=session, by=admin)
    go(cycle, admin, rules.EVIDENCE)
    compile_evidence(cycle=cycle, by=admin)
    go(cycle, admin, rules.PROPOSAL)
    for p in Participant.objects.filter(cycle=cycle):
        proposals.propose(
            participant=p, by=admin, data=proposals.ProposalInput(rules.COMPETENT, "履职尽责")
        )
    go(cycle, admin, rules.DISCLOSURE)
    with time_machine.travel(cycle.disclosure.closes_on + timedelta(days=1), tick=False):
        go(cycle, admin, rules.DECISION)
        for p in Participant.objects.filter(cycle=cycle):
            d = decisions.decide(
                participant=p, by=admin, data=decisions.DecisionInput(rules.COMPETENT, p.version)
            )
            decisions.notify(decision=d, by=admin)
    me.refresh_from_db()
    return me


@pytest.mark.django_db
def test_the_cadre_downloads_their_own_notice_as_pdf(
    county: Any, decided: Any, as_user: Any, clock: Any
) -> None:
    client = as_user(county.cadre_user)
    page = client.get(f"/assessments/participants/{decided.pk}/notice/").content.decode()
    url = f"/assessments/participants/{decided.pk}/notice.pdf"
    assert f'href="{url}"' in page
    assert "下载PDF" in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        f"filename*=UTF-8''{quote('2026年度考核登记表-王甲.pdf')}"
        in response["Content-Disposition"]
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert pages(response.content) == 1
    for text in ["王甲", "全年完成预算编审任务", "履职尽责", "称职", "签名：＿＿＿＿"]:
        assert encoded(text) in response.content, text
    assert AuditEvent.objects.filter(
        action="export",
        actor=county.cadre_user,
        object_type="assessments.decision",
        object_id=str(decided.decision.pk),
    ).exists()
    # after signing, the PDF carries the acknowledgement instead of the blank line
    decisions.acknowledge(decision=decided.decision, by=county.cadre_user, text="无异议")
    signed = client.get(url).content
    assert encoded("签名：王甲") in signed
    assert encoded(f"{clock.today.year}年") in signed
    assert encoded("签名：＿＿＿＿") not in signed


@pytest.mark.django_db
def test_out_of_scope_users_get_404_for_the_pdf(county: Any, decided: Any, as_user: Any) -> None:
    url = f"/assessments/participants/{decided.pk}/notice.pdf"
    assert as_user(county.city_admin).get(url).status_code == 200
    for user in (county.head_b, county.outsider):
        assert as_user(user).get(url).status_code == 404
    # another cadre's notice (decided too) is not the cadre's own
    other = Participant.objects.filter(cycle=decided.cycle).exclude(pk=decided.pk).first()
    assert (
        as_user(county.cadre_user)
        .get(f"/assessments/participants/{other.pk}/notice.pdf")
        .status_code
        == 404
    )
    assert not AuditEvent.objects.filter(action="export", actor=county.head_b).exists()
    assert AuditEvent.objects.filter(action="authz_denied", actor=county.head_b).exists()
