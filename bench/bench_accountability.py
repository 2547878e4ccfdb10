#!/usr/bin/env python
"""Accountability benchmark: eligibility for every cadre (set-based, the one answer of
cadre/eligibility; bench_eligibility.py times it in detail), one cadre's eligibility
through the API, the discipline inbox and the statistics page; plus the cost of one receipt
check (Argon2, production parameters).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadre_accountability \\
        python bench/bench_accountability.py [--prepare] [--scale M] [--runs 10]

With `--prepare` it migrates and, when there are no cadres, generates the registry and the
supervision, accountability and tolerance data only. Prints median and p95.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from cadre.accountability.models import Measure  # noqa: E402
from cadre.accounts.models import Grant, User  # noqa: E402
from cadre.cadres.decisions import answers  # noqa: E402
from cadre.cadres.models import Cadre  # noqa: E402
from cadre.orgs.models import OrgUnit  # noqa: E402


def stats(label: str, samples: list[float], unit: str = "ms") -> None:
    ordered = sorted(samples)
    scale = 1000 if unit == "ms" else 1
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"{label:<46} median {statistics.median(ordered) * scale:9.1f} {unit}"
        f"   p95 {p95 * scale:9.1f} {unit}   (n={len(ordered)})"
    )


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def prepare(scale: str, seed: int) -> None:
    call_command("migrate", verbosity=0)
    if Cadre.objects.exists():
        return
    from cadre.accountability.generate import generate as acc
    from cadre.generator.registry import generate_registry
    from cadre.supervision.generate import generate as sup
    from cadre.tolerance.generate import generate as tol

    seconds = timed(lambda: generate_registry(scale=scale, seed=seed, log=print))
    print(f"生成 registry: {seconds:.1f} s")
    for name, fn in (("supervision", sup), ("accountability", acc), ("tolerance", tol)):
        print(f"生成 {name}: {timed(lambda fn=fn: fn(scale=scale, seed=seed, log=print)):.1f} s")


def staff_client() -> Client:
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("id").first()
    user, _ = User.objects.get_or_create(username="bench_discipline")
    Grant.objects.get_or_create(user=user, role="discipline", org_unit=root)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--scale", default="M")
    parser.add_argument("--seed", type=int, default=20251020)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.scale, args.seed)
    ids = list(Cadre.objects.values_list("id", flat=True))
    print(f"干部 {len(ids):,} 名，处理措施 {Measure.objects.count():,} 项")
    on = date(2026, 6, 1)
    stats(
        f"eligibility answers (all {len(ids):,} cadres)",
        [timed(lambda: answers(ids, on)) for _ in range(args.runs)],
    )
    target = Measure.objects.order_by("id").values_list("cadre_id", flat=True).first() or ids[0]
    client = staff_client()
    for label, url in (
        ("GET /api/v1/cadres/{id}/eligibility", f"/api/v1/cadres/{target}/eligibility"),
        ("discipline inbox /supervision/", "/supervision/"),
        ("statistics /accountability/statistics/", "/accountability/statistics/"),
        ("cadre archive /accountability/archive/{id}/", f"/accountability/archive/{target}/"),
    ):
        client.get(url)  # warm-up
        samples = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        stats(label, samples)
    from argon2 import PasswordHasher

    hasher = PasswordHasher()
    stored = hasher.hash("0123456789ABCDEF")
    stats(
        "one receipt check (Argon2id, defaults)",
        [timed(lambda: hasher.verify(stored, "0123456789ABCDEF")) for _ in range(args.runs)],
    )


if __name__ == "__main__":
    main()
