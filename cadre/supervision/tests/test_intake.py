"""Anonymous intake (TRUST.md C): no trace of the client, receipts, throttling, uploads."""

import io
import logging
import random
import re
import zipfile
from typing import Any
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings

from cadre.audit.models import AuditEvent
from cadre.supervision import intake, rules
from cadre.supervision.models import Report, ReportAttachment, ReporterContact, ReportMessage
from cadre.supervision.tests.helpers import PNG, public_report

UA = "CanaryBrowser/9.9 (canary-ua-7f3a91)"
XFF = "198.51.100.23"
ADDR = "203.0.113.77"
LANG = "x-canary-lang"
CLIENT = {
    "HTTP_USER_AGENT": UA,
    "HTTP_X_FORWARDED_FOR": XFF,
    "REMOTE_ADDR": ADDR,
    "HTTP_ACCEPT_LANGUAGE": LANG,
    "HTTP_X_REAL_IP": XFF,
}


def _token(client: Client) -> str:
    page = client.get("/public/report/", **CLIENT)
    return re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)


def _form(unit: Any, token: str, **kw: Any) -> dict[str, Any]:
    fields = {
        "token": token,
        "subject_kind": "cadre",
        "subject_unit": unit.pk,
        "subject_name": "李乙",
        "subject_post": "副镇长",
        "problem_kind": "inaction",
        "title": "办事推诿",
        "body": "多次办理营业执照被推诿，要求补交无关材料。",
        "anonymous": "1",
        "contact": "",
    }
    fields.update(kw)
    return fields


def _receipt(response: Any) -> str:
    return re.search(r'user-select-all">([0-9A-Z-]+)<', response.content.decode()).group(1)


def _dump_database() -> str:
    """Every column of every table, as text (TRUST.md AN-01: grep the DB dump)."""
    chunks = []
    with connection.cursor() as cur:
        for table in connection.introspection.table_names():
            cur.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
            chunks += [repr(row) for row in cur.fetchall()]
    return "\n".join(chunks)


def _cache_dump() -> str:
    store = getattr(caches["default"], "_cache", {})
    return repr(list(store.keys())) + repr(list(store.values()))


def test_an_anonymous_report_leaves_no_trace_of_the_client(world: Any, caplog: Any) -> None:
    # given a client with unique address, forwarded-for, user agent and language
    caplog.set_level(logging.DEBUG)
    client = Client()
    token = _token(client)
    upload = SimpleUploadedFile("证据.png", PNG, content_type="image/png")
    # when it files a report with an attachment, checks it and leaves a message
    filed = client.post(
        "/public/report/", {**_form(world.town_a, token), "files": [upload]}, **CLIENT
    )
    receipt = _receipt(filed)
    status = client.post("/public/status/", {"receipt": receipt}, **CLIENT)
    reply = client.post(
        "/public/status/reply/", {"receipt": receipt, "body": "补充：还有一次"}, **CLIENT
    )
    api = client.post(
        "/api/v1/supervision/public/reports",
        content_type="application/json",
        data={
            "subject_unit_id": world.organ_a.pk,
            "subject_kind": "unit",
            "problem_kind": "formalism",
            "title": "文山会海",
            "body": "会议过多影响办事",
        },
        **CLIENT,
    )
    api_receipt = api.json()["receipt"]
    client.post(
        "/api/v1/supervision/public/status",
        content_type="application/json",
        data={"receipt": api_receipt},
        **CLIENT,
    )
    # then it worked, set no cookie, and nothing anywhere holds the client's attributes
    assert (filed.status_code, status.status_code, reply.status_code, api.status_code) == (
        200,
        200,
        200,
        201,
    )
    assert "补充：还有一次" in reply.content.decode()
    assert ReportAttachment.objects.count() == 1
    for response in (filed, status, reply, api):
        assert not response.cookies
        assert response["Cache-Control"] == "no-store"
        assert response["Referrer-Policy"] == "no-referrer"
    dumps = {
        "database": _dump_database(),
        "logs": caplog.text,
        "cache": _cache_dump(),
        "log records": repr([r.__dict__ for r in caplog.records]),
    }
    canaries = [
        UA,
        "canary-ua-7f3a91",
        XFF,
        ADDR,
        LANG,
        receipt,
        receipt.replace("-", ""),
        api_receipt.replace("-", ""),
    ]
    for where, text in dumps.items():
        for canary in canaries:
            assert canary not in text, f"{canary!r} found in {where}"
    received = AuditEvent.objects.filter(action="report_received")
    assert received.count() == 2
    assert set(received.values_list("ip", "route", "actor_name")) == {("", "", "")}


def test_public_pages_set_no_cookie_and_send_privacy_headers(world: Any) -> None:
    client = Client()
    for url in ("/public/report/", "/public/status/", "/public/notices/"):
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies, url
        assert response["Cache-Control"] == "no-store"
        assert response["Referrer-Policy"] == "no-referrer"
        assert "csrfmiddlewaretoken" not in response.content.decode()
    form = client.get("/public/report/").content.decode()
    assert form.count('autocomplete="off"') >= 8
    assert "<script" not in form


def test_receipts_have_80_bits_from_secrets_and_only_a_salted_hash_is_stored(world: Any) -> None:
    # the random module has no effect on receipts (TRUST.md AN-02)
    with mock.patch.object(random, "choice", lambda seq: seq[0]):
        codes = {rules.new_receipt() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == rules.RECEIPT_LEN and set(c) <= set(rules.ALPHABET) for c in codes)
    assert rules.SECRET_LEN * 5 >= 80
    report, receipt = public_report(world.town_a, "李乙")
    code = rules.normalise_receipt(receipt)
    assert report.receipt_hash.startswith("$argon2id$")
    assert code not in _dump_database()
    assert rules.split_receipt(code)[0] not in report.receipt_lookup


def test_a_receipt_finds_its_report_in_any_reasonable_spelling(world: Any) -> None:
    report, receipt = public_report(world.town_a, "李乙")
    spaced = receipt.lower().replace("-", " ")
    assert intake.find_by_receipt(spaced)[0] == report
    assert intake.find_by_receipt(receipt.replace("0", "O"))[0] == report


@pytest.mark.parametrize("guess", ["", "ABC", "0" * 22, "!" * 22])
def test_a_receipt_that_does_not_exist_is_refused_and_nothing_is_written(
    world: Any, guess: str
) -> None:
    public_report(world.town_a, "李乙")
    before = (ReportMessage.objects.count(), AuditEvent.objects.count())
    response = Client().post("/public/status/", {"receipt": guess})
    assert response.status_code == 404
    assert "回执码不正确或不存在" in response.content.decode()
    assert (ReportMessage.objects.count(), AuditEvent.objects.count()) == before


def test_guessed_receipts_are_throttled_per_client_without_storing_addresses(world: Any) -> None:
    _, receipt = public_report(world.town_a, "李乙")
    client = Client()
    codes = [
        client.post("/public/status/", {"receipt": f"{i:022d}"}, REMOTE_ADDR=ADDR).status_code
        for i in range(5)
    ]
    blocked = client.post("/public/status/", {"receipt": receipt}, REMOTE_ADDR=ADDR)
    other = client.post("/public/status/", {"receipt": receipt}, REMOTE_ADDR="192.0.2.1")
    assert codes == [404] * 5
    assert blocked.status_code == 429
    assert "提交过于频繁" in blocked.content.decode()
    assert other.status_code == 200  # a different client is not blocked
    assert ADDR not in _dump_database() + _cache_dump()


@override_settings(CADRE_INTAKE_RECEIPT_FAILURES_PER_MINUTE=20)
def test_guesses_from_rotating_addresses_hit_the_endpoint_wide_limit(world: Any) -> None:
    client = Client()
    for i in range(20):
        client.post(
            "/api/v1/supervision/public/status",
            content_type="application/json",
            data={"receipt": f"{i:022d}"},
            REMOTE_ADDR=f"192.0.2.{i + 1}",
        )
    response = client.post(
        "/api/v1/supervision/public/status",
        content_type="application/json",
        data={"receipt": "0" * 22},
        REMOTE_ADDR="192.0.2.250",
    )
    assert response.status_code == 429
    assert response.json()["detail"].startswith("请求过于频繁")


@override_settings(CADRE_INTAKE_MAX_FILE_BYTES=1024)
def test_an_oversized_attachment_is_refused_and_nothing_is_written(world: Any) -> None:
    client = Client()
    big = SimpleUploadedFile("大.png", PNG + b"\x00" * 2000, content_type="image/png")
    response = client.post(
        "/public/report/", {**_form(world.town_a, _token(client)), "files": [big]}
    )
    assert response.status_code == 400
    assert "超过大小上限" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("报告.pdf", b"<html><script>alert(1)</script></html>", "内容与扩展名不符"),
        ("图片.png", b"GIF89a" + b"\x00" * 20, "内容与扩展名不符"),
        ("程序.exe", b"MZ\x90\x00", "类型不允许"),
        ("report.pdf.exe", b"%PDF-1.4", "类型不允许"),
        ("page.svg", b"<svg onload=alert(1)>", "类型不允许"),
        ("空.pdf", b"", "空文件"),
    ],
)
def test_a_disguised_or_forbidden_attachment_is_refused(
    world: Any, name: str, content: bytes, message: str
) -> None:
    client = Client()
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        "/public/report/", {**_form(world.town_a, _token(client)), "files": [upload]}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_a_word_file_with_macros_is_refused(world: Any) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
        zf.writestr("word/vbaProject.bin", "macro")
    client = Client()
    upload = SimpleUploadedFile("材料.docx", buf.getvalue())
    response = client.post(
        "/public/report/", {**_form(world.town_a, _token(client)), "files": [upload]}
    )
    assert "含有宏" in response.content.decode()
    assert not Report.objects.exists()


def test_a_hostile_file_name_is_kept_only_as_clean_metadata(world: Any) -> None:
    client = Client()
    upload = SimpleUploadedFile("../../etc/pass\u202ewd.png", PNG)
    client.post("/public/report/", {**_form(world.town_a, _token(client)), "files": [upload]})
    att = ReportAttachment.objects.get()
    assert att.original_name == "pass" + "wd.png"
    assert re.fullmatch(r"[0-9a-f]{32}", att.stored_name)


def test_a_double_submit_files_one_report(world: Any) -> None:
    client = Client()
    form = _form(world.town_a, _token(client))
    first = client.post("/public/report/", form)
    second = client.post("/public/report/", form)
    assert first.status_code == 200
    assert second.status_code == 400
    assert "请勿重复提交" in second.content.decode()
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "标题"),
        ({"body": "x" * 10_001}, "反映内容"),
        ({"subject_unit": "999999"}, "被反映单位"),
        ({"problem_kind": "nonsense"}, "问题类别"),
        ({"anonymous": "0", "contact": ""}, "请填写联系方式"),
        ({"anonymous": "1", "contact": "张三 13800000000"}, "匿名举报请不要填写"),
        ({"body": "含有\x00控制字符"}, "控制字符"),
        ({"token": "forged"}, "表单已过期或无效"),
    ],
)
def test_bad_intake_input_gets_a_chinese_message_and_writes_nothing(
    world: Any, changes: dict[str, str], message: str
) -> None:
    client = Client()
    form = {**_form(world.town_a, _token(client)), **changes}
    response = client.post("/public/report/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Report.objects.exists()
    assert not AuditEvent.objects.filter(action="report_received").exists()


def test_a_pasted_receipt_in_a_message_is_refused(world: Any) -> None:
    _, receipt = public_report(world.town_a, "李乙")
    response = Client().post(
        "/public/status/reply/", {"receipt": receipt, "body": f"我的回执码是 {receipt.lower()}"}
    )
    assert response.status_code == 400
    assert "包含您的回执码" in response.content.decode()
    assert not ReportMessage.objects.exists()


def test_the_reporter_sees_replies_but_never_internal_notes(world: Any) -> None:
    from cadre.supervision import services
    from cadre.supervision.tests.helpers import approve

    report, receipt = public_report(world.town_a, "李乙")
    clue = services.accept_report(report=report, by=world.discipline_a)
    services.reply_to_reporter(report=report, by=world.discipline_a, body="已受理，正在核实")
    staff2 = __import__("tests.factories", fromlist=["make_user"]).make_user(
        "d2", role="discipline", unit=world.county_a
    )
    approve(clue, world.discipline_a, staff2, "preliminary_verification")
    services.add_case_note(case=clue.case, by=world.discipline_a, text="内部：需调阅审批台账")
    page = Client().post("/public/status/", {"receipt": receipt}).content.decode()
    assert "已受理，正在核实" in page
    assert "已受理，正在办理" in page
    assert "调阅审批台账" not in page


def test_a_named_reporters_contact_is_encrypted_and_read_only_with_a_reason(
    world: Any, as_user: Any
) -> None:
    report, _ = public_report(world.town_a, "李乙", anonymous=False, contact="张三 13800000000")
    assert "13800000000" not in _dump_database()
    url = f"/supervision/reports/{report.pk}/contact/"
    no_reason = as_user(world.discipline_a).post(url, {"reason": ""})
    org = as_user(world.city_admin).post(url, {"reason": "需要核实举报人身份"})
    ok = as_user(world.discipline_a).post(url, {"reason": "需要当面核实举报内容"})
    assert no_reason.status_code == 400
    assert "13800000000" not in org.content.decode()
    assert "只有纪检监察人员" in org.content.decode()
    assert "13800000000" in ok.content.decode()
    reads = AuditEvent.objects.filter(action="reporter_contact_read")
    assert list(reads.values_list("actor_name", "detail")) == [
        ("discipline_a", {"reason": "需要当面核实举报内容"})
    ]
    assert ReporterContact.objects.get().ciphertext.startswith("f1:")


def test_the_receipt_is_never_accepted_from_a_url(world: Any) -> None:
    _, receipt = public_report(world.town_a, "李乙")
    page = Client().get(f"/public/status/?receipt={receipt}").content.decode()
    assert "办理情况" in page
    assert "当前状态" not in page
