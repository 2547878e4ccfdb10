"""A scripted session leaves one audit event per action, and no secret in any (LG-01)."""

import json
import time
from typing import Any

import time_machine
from django.conf import settings
from django.test import Client

from cadre.accounts.services import reset_lockout
from cadre.accounts.tests.test_login import PASSWORD, totp_now
from cadre.audit.models import AuditEvent
from cadre.audit.services import verify_chain


def test_a_scripted_session_is_fully_audited(world: Any) -> None:
    client = Client(REMOTE_ADDR="10.1.1.1")
    client.post("/accounts/login/", {"username": "city_admin", "password": "wrong-pass-1"})
    client.post("/accounts/login/", {"username": "city_admin", "password": PASSWORD})
    client.post("/accounts/otp/", {"token": "000000"})
    with time_machine.travel(time.time() + 3, tick=False):  # past django-otp's throttle delay
        client.post("/accounts/otp/", {"token": totp_now(world.city_admin)})
    client.get(f"/cadres/{world.cadre_a.pk}/")
    client.get("/cadres/export.xlsx")
    cadre = world.cadre_a
    client.post(
        f"/cadres/{cadre.pk}/edit/",
        {
            "name": cadre.name,
            "gender": cadre.gender,
            "birth_date": cadre.birth_date,
            "ethnicity": cadre.ethnicity,
            "education": cadre.education,
            "specialty": "统计学",
            "political_status": cadre.political_status,
            "joined_work_on": cadre.joined_work_on,
            "version": cadre.version,
        },
    )
    reset_lockout(by=world.city_admin, username="head_a")
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/logout/")

    events = list(AuditEvent.objects.order_by("id"))
    assert [e.action for e in events] == [
        "login_failed",
        "login",
        "otp_failed",
        "otp_ok",
        "view",
        "export",
        "change",
        "lockout_reset",
        "logout",
    ]
    for e in events:
        assert e.at is not None
        if e.action not in ("login_failed", "lockout_reset"):
            assert e.actor == world.city_admin, e.action
            assert e.roles == "org_admin"
        if e.action != "lockout_reset":
            assert e.ip == "10.1.1.1", e.action
            assert len(e.request_id) == 16, e.action
    dump = json.dumps(
        [
            [getattr(e, f.name) for f in AuditEvent._meta.fields if f.name not in ("actor",)]
            for e in events
        ],
        default=str,
    )
    for secret in (PASSWORD, "wrong-pass-1", session_key):
        assert secret not in dump
    assert verify_chain() is None
