"""The audit log in the database: tamper detection, append-only triggers, fail closed,
concurrent appends (TRUST.md LG-02, LG-03, LG-04, LG-05)."""

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from cadre.audit.models import AuditEvent
from cadre.audit.rules import BROKEN_CONTENT, BROKEN_LINK, CHAIN_FIELDS
from cadre.audit.services import check_chain, record_event

TRIGGERS = import_module("cadre.audit.migrations.0002_append_only_triggers")
IS_PG = connection.vendor == "postgresql"


def _run(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def drop_triggers() -> None:
    _run(
        TRIGGERS.POSTGRES_REVERSE if connection.vendor == "postgresql" else TRIGGERS.SQLITE_REVERSE
    )


def create_triggers() -> None:
    _run(TRIGGERS.POSTGRES if connection.vendor == "postgresql" else TRIGGERS.SQLITE)


@contextmanager
def triggers_dropped() -> Iterator[None]:
    """Tampering needs the append-only triggers out of the way, as a DB owner could do."""
    drop_triggers()
    try:
        yield
    finally:
        create_triggers()


def verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def five(db: Any) -> list[int]:
    return [record_event(actor=None, action=f"event_{i}", detail={"i": i}).pk for i in range(5)]


def test_an_intact_log_verifies(five: list[int]) -> None:
    assert verify() == (0, "审计日志校验通过，共5条\n", "")


def test_an_edited_field_is_found(five: list[int]) -> None:
    with triggers_dropped():
        AuditEvent.objects.filter(pk=five[2]).update(detail={"i": 99})
    code, _, err = verify()
    assert code == 1
    assert f"第一条断裂的记录编号为 {five[2]}，" in err
    assert BROKEN_CONTENT in err


def test_a_deleted_entry_is_found_at_the_next_one(five: list[int]) -> None:
    with triggers_dropped(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [five[2]])
    code, _, err = verify()
    assert code == 1
    assert f"第一条断裂的记录编号为 {five[3]}，" in err
    assert BROKEN_LINK in err


def test_two_swapped_entries_are_found_at_the_first(five: list[int]) -> None:
    first, second = (
        AuditEvent.objects.filter(pk=pk)
        .values(*[f for f in CHAIN_FIELDS if f != "actor_id"], "actor_id")
        .get()
        for pk in (five[1], five[3])
    )
    with triggers_dropped():
        AuditEvent.objects.filter(pk=five[1]).update(**second)
        AuditEvent.objects.filter(pk=five[3]).update(**first)
    code, _, err = verify()
    assert code == 1
    assert f"第一条断裂的记录编号为 {five[1]}，" in err


def test_the_triggers_come_back_after_tampering(five: list[int]) -> None:
    with triggers_dropped():
        pass
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=five[0]).update(action="x")


# --- append-only at the database (LG-03) ---------------------------------------------------


def test_the_database_refuses_update(five: list[int]) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=five[0]).update(action="rewritten")
    assert AuditEvent.objects.get(pk=five[0]).action == "event_0"


def test_the_database_refuses_delete(five: list[int]) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [five[0]])
    assert AuditEvent.objects.filter(pk=five[0]).exists()


@pytest.mark.postgres
@pytest.mark.skipif(not IS_PG, reason="TRUNCATE trigger exists on PostgreSQL only")
def test_postgres_refuses_truncate(five: list[int]) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 5


# --- fail closed (LG-05) -------------------------------------------------------------------


def test_an_audit_failure_rolls_back_the_change(world: Any, monkeypatch: Any) -> None:
    from cadre.cadres import services

    cadre = world.cadre_a
    versions = cadre.history.count()
    events = AuditEvent.objects.count()

    def broken_audit(**kwargs: Any) -> Any:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "record_event", broken_audit)
    with pytest.raises(RuntimeError):
        services.update_cadre(
            cadre=cadre, by=world.city_admin, version=cadre.version, changes={"name": "改过的名字"}
        )
    cadre.refresh_from_db()
    assert (cadre.name, cadre.version) == ("王甲", 1)
    assert cadre.history.count() == versions
    assert AuditEvent.objects.count() == events


def test_the_user_gets_a_generic_error_and_nothing_changes(
    world: Any, monkeypatch: Any, as_user: Any
) -> None:
    from cadre.cadres import services

    def broken_audit(**kwargs: Any) -> Any:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "record_event", broken_audit)
    client = as_user(world.city_admin)
    client.raise_request_exception = False
    cadre = world.cadre_a
    form = {
        "name": "改过的名字",
        "gender": cadre.gender,
        "birth_date": cadre.birth_date,
        "ethnicity": cadre.ethnicity,
        "education": cadre.education,
        "specialty": "",
        "political_status": cadre.political_status,
        "joined_work_on": cadre.joined_work_on,
        "version": cadre.version,
    }
    response = client.post(f"/cadres/{cadre.pk}/edit/", form)
    assert response.status_code == 500
    assert "系统暂时无法处理您的请求" in response.content.decode()
    cadre.refresh_from_db()
    assert cadre.name == "王甲"


# --- concurrent appends (LG-04) ------------------------------------------------------------

THREADS, EACH = 10, 20


@pytest.mark.postgres
@pytest.mark.skipif(not IS_PG, reason="needs PostgreSQL row locks and advisory locks")
def test_concurrent_appends_keep_one_contiguous_chain(db: Any) -> None:
    # The writers commit on their own connections, so this test's own connection must not
    # touch the audit table (it would hold locks the clean-up needs); checking and cleaning
    # up run in a thread of their own too.
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(EACH):
                record_event(actor=None, action="concurrency_probe", detail={"t": n, "i": i})
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    result: dict[str, Any] = {}

    def check_and_clean_up() -> None:
        try:
            probes = AuditEvent.objects.filter(action="concurrency_probe")
            result["report"] = check_chain()
            result["count"] = probes.count()
            links = list(probes.values_list("prev_hash", flat=True))
            result["forks"] = len(links) - len(set(links))
            with transaction.atomic():
                drop_triggers()
                with connection.cursor() as cursor:
                    cursor.execute(
                        "DELETE FROM audit_auditevent WHERE action = %s", ["concurrency_probe"]
                    )
                create_triggers()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    checker = threading.Thread(target=check_and_clean_up)
    checker.start()
    checker.join(timeout=120)
    assert not errors, errors
    assert result["count"] == THREADS * EACH
    assert result["forks"] == 0
    assert result["report"].broken is None
