"""Each "Bad input" line of issue 3: refused with a Chinese message, nothing written."""

import io
import json
import zipfile
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cadre.core.models import RuleSetting
from cadre.targets import services
from cadre.targets.models import (
    Attachment,
    ProgressUpdate,
    Reconciliation,
    Task,
    TaskBook,
)
from cadre.targets.rules import RuleError
from cadre.targets.tests.conftest import act, draft_book, numeric

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def snapshot() -> tuple[int, ...]:
    return (
        Task.objects.count(),
        ProgressUpdate.objects.count(),
        Attachment.objects.count(),
        Reconciliation.objects.count(),
    )


# --- weights that do not sum to 100 ---------------------------------------------------------


def test_submitting_weights_not_summing_to_100_is_refused(
    world: Any, travel: Any, as_user: Any
) -> None:
    book = draft_book(world, weights=("60", "30"))
    response = as_user(world.head_a).post(
        f"/targets/books/{book.pk}/action/", {"action": "submit", "version": book.version}
    )
    assert response.status_code == 400
    assert "任务权重合计必须为100，当前合计为90" in response.content.decode()
    fresh = TaskBook.objects.get(pk=book.pk)
    assert (fresh.status, fresh.version) == ("draft", book.version)


def test_api_refuses_weights_not_summing_to_100(world: Any, travel: Any, as_user: Any) -> None:
    book = draft_book(world, weights=("70", "40"))
    response = as_user(world.head_a).post(
        f"/api/v1/targets/books/{book.pk}/actions",
        data=json.dumps({"action": "submit", "version": book.version}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "合计为110" in response.json()["detail"]
    assert TaskBook.objects.get(pk=book.pk).status == "draft"


def test_an_amendment_breaking_the_weights_is_refused(
    world: Any, travel: Any, as_user: Any
) -> None:
    book = draft_book(world)
    act(book, world.head_a, "submit")
    book = act(book, world.city_admin, "approve")
    first, second = book.tasks.order_by("seq")
    response = as_user(world.city_admin).post(
        f"/targets/books/{book.pk}/amend/",
        {
            "version": book.version,
            "reason": "调整",
            f"title_{first.pk}": first.title,
            f"weight_{first.pk}": "70",
            f"target_value_{first.pk}": "200",
            f"due_date_{first.pk}": "2026-12-31",
            f"title_{second.pk}": second.title,
            f"weight_{second.pk}": "40",
            f"due_date_{second.pk}": "2026-12-20",
        },
    )
    assert response.status_code == 400
    assert "合计为110" in response.content.decode()
    assert not book.amendments.exists()
    assert Task.objects.get(pk=first.pk).weight == Decimal(60)


# --- a due date outside the book's year -----------------------------------------------------


def test_a_due_date_outside_the_year_is_refused(world: Any, travel: Any, as_user: Any) -> None:
    book = services.create_book(by=world.head_a, unit=world.organ_a, year=2026, kind="annual")
    response = as_user(world.head_a).post(
        f"/targets/books/{book.pk}/tasks/new/",
        {
            "version": book.version,
            "title": "跨年任务",
            "category": "key",
            "indicator_kind": "numeric",
            "target_value": "10",
            "indicator_unit": "个",
            "weight": "100",
            "due_date": "2027-01-31",
            "owners": [world.cadre_a.pk],
        },
    )
    assert response.status_code == 400
    assert "完成时限2027-01-31不在任务书年度（2026年）内" in response.content.decode()
    assert not Task.objects.exists()


def test_a_milestone_outside_the_year_is_refused(world: Any, travel: Any) -> None:
    book = services.create_book(by=world.head_a, unit=world.organ_a, year=2026, kind="annual")
    data = numeric([world.cadre_a.pk], "100")
    data.indicator_kind, data.milestones = "milestones", [("验收", date(2027, 2, 1))]
    with pytest.raises(RuleError, match="不在任务书年度"):
        services.save_task(by=world.head_a, book=book, data=data)
    assert not Task.objects.exists()


# --- progress on a task of a closed book ----------------------------------------------------


def _close(world: Any, travel: Any) -> Task:
    book = draft_book(world)
    act(book, world.head_a, "submit")
    act(book, world.city_admin, "approve")
    act(book, world.head_a, "sign")
    travel("2026-12-20")
    for task in book.tasks.all():
        services.propose_reconciliation(
            by=world.cadre_user, task=task, outcome="completed", evidence="材料齐全"
        )
        services.confirm_reconciliation(by=world.city_admin, task=task, outcome="completed")
    act(book, world.city_admin, "close")
    return book.tasks.order_by("seq").first()


def test_progress_on_a_closed_book_is_refused(world: Any, travel: Any, as_user: Any) -> None:
    task = _close(world, travel)
    before = snapshot()
    response = as_user(world.cadre_user).post(
        f"/targets/tasks/{task.pk}/progress/",
        {"on": "2026-12-20", "value": "210", "narrative": "补报"},
    )
    assert response.status_code == 400
    assert "任务书未生效或已对账关闭，不能填报进展" in response.content.decode()
    assert snapshot() == before


def test_progress_on_a_draft_book_is_refused_by_the_api(
    world: Any, travel: Any, as_user: Any
) -> None:
    task = draft_book(world).tasks.first()
    response = as_user(world.cadre_user).post(
        f"/api/v1/targets/tasks/{task.pk}/progress",
        data=json.dumps({"on": "2026-01-15", "value": "5", "narrative": "开局"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "不能填报进展" in response.json()["detail"]
    assert not ProgressUpdate.objects.exists()


# --- a reconciliation without evidence where the setting requires it -----------------------


def test_a_reconciliation_without_evidence_is_refused(
    world: Any, signed: Any, travel: Any, as_user: Any
) -> None:
    task = signed.tasks.order_by("seq").first()
    travel("2026-12-20")
    response = as_user(world.cadre_user).post(
        f"/targets/tasks/{task.pk}/reconcile/", {"outcome": "completed", "evidence": "  "}
    )
    assert response.status_code == 400
    assert "年末对账必须提供佐证材料" in response.content.decode()
    assert not Reconciliation.objects.exists()


def test_evidence_is_optional_when_the_setting_says_so(
    world: Any, signed: Any, travel: Any
) -> None:
    RuleSetting.objects.create(key="targets.reconciliation_requires_evidence", value=False)
    task = signed.tasks.order_by("seq").first()
    travel("2026-12-20")
    services.propose_reconciliation(by=world.cadre_user, task=task, outcome="completed")
    assert Reconciliation.objects.filter(task=task).exists()


def test_a_file_counts_as_evidence(world: Any, signed: Any, travel: Any) -> None:
    task = signed.tasks.order_by("seq").first()
    travel("2026-12-20")
    rec = services.propose_reconciliation(
        by=world.cadre_user,
        task=task,
        outcome="completed",
        files=[SimpleUploadedFile("验收报告.pdf", PDF)],
    )
    assert rec.attachments.get().original_name == "验收报告.pdf"


# --- evidence files of a forbidden type or over the size limit ------------------------------


def _docx_fake_html() -> bytes:
    return b"<html><script>alert(1)</script></html>"


def _zip_without_word() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("payload.js", "x")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evil.exe", b"MZ\x90\x00", "类型不允许上传"),
        ("report.html", b"<html></html>", "类型不允许上传"),
        ("image.svg", b"<svg onload=alert(1)>", "类型不允许上传"),
        ("report.pdf.exe", b"MZ", "类型不允许上传"),
        ("noextension", PDF, "类型不允许上传"),
        ("evil.pdf", _docx_fake_html(), "内容与扩展名不符"),
        ("photo.png", PDF, "内容与扩展名不符"),
        ("fake.docx", _zip_without_word(), "内容与扩展名不符"),
        ("empty.pdf", b"", "空文件"),
    ],
)
def test_a_forbidden_evidence_file_is_refused(
    world: Any, signed: Any, travel: Any, as_user: Any, name: str, content: bytes, message: str
) -> None:
    task = signed.tasks.order_by("seq").first()
    travel("2026-06-01")
    before = snapshot()
    response = as_user(world.cadre_user).post(
        f"/targets/tasks/{task.pk}/progress/",
        {
            "on": "2026-06-01",
            "value": "50",
            "narrative": "完成50亿元",
            "files": [SimpleUploadedFile("ok.pdf", PDF), SimpleUploadedFile(name, content)],
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot() == before
    assert Task.objects.get(pk=task.pk).actual_value is None


@override_settings(CADRE_EVIDENCE_MAX_BYTES=1024)
def test_an_evidence_file_over_the_size_limit_is_refused(
    world: Any, signed: Any, travel: Any, as_user: Any
) -> None:
    task = signed.tasks.order_by("seq").first()
    travel("2026-06-01")
    before = snapshot()
    big = PDF + b"0" * 2000
    response = as_user(world.cadre_user).post(
        f"/targets/tasks/{task.pk}/progress/",
        {
            "on": "2026-06-01",
            "value": "50",
            "narrative": "完成50亿元",
            "files": [SimpleUploadedFile("big.pdf", big)],
        },
    )
    assert response.status_code == 400
    assert "超过大小上限" in response.content.decode()
    assert snapshot() == before


def test_an_allowed_file_is_stored_under_a_generated_name_and_downloaded_as_attachment(
    world: Any, signed: Any, travel: Any, as_user: Any
) -> None:
    task = signed.tasks.order_by("seq").first()
    travel("2026-06-01")
    client = as_user(world.cadre_user)
    response = client.post(
        f"/targets/tasks/{task.pk}/progress/",
        {
            "on": "2026-06-01",
            "value": "50",
            "narrative": "完成50亿元",
            "files": [SimpleUploadedFile("../../etc/进度\x07报告.pdf", PDF)],
        },
    )
    assert response.status_code == 302
    att = Attachment.objects.get()
    assert att.original_name == "进度报告.pdf"
    assert "etc" not in att.file.name
    assert att.file.name.startswith("targets/")
    download = client.get(f"/targets/files/{att.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    # and nobody outside the scope can fetch it
    assert as_user(world.head_b).get(f"/targets/files/{att.pk}/").status_code == 404
