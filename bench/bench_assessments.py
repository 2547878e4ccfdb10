#!/usr/bin/env python
"""Assessment benchmark: evidence compilation for a whole cycle, and the cycle dashboard.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadre_assessments \
        python bench/bench_assessments.py

Creates the database if missing, migrates, generates scale M (a city, ~20,000 cadres; every
app's generator, so each evidence source has data) unless cadres are there, then:

1. evidence compilation (`compile_evidence`, set-based: a few queries per source and one
   batched UPDATE) for this year's 公务员 cycle and 领导干部 cycle at the root, each run
   N times (default 5) after one warm-up, printing median and p95 and the query count;
2. the cycle dashboard page (org_admin at the root; progress by unit, grade distribution
   chart) and the unit proposal page (evidence panels side by side) through the Django
   test client, N times (default 30) after 2 warm-ups, median and p95.

The cycles are moved to the evidence phase in place (a scratch database: the bench writes).
Options: -n (page requests), --runs (compilations), --scale, --seed.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SEED = 20251020


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="M")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("-n", type=int, default=30, help="每个页面的请求次数")
    parser.add_argument("--runs", type=int, default=5, help="证据汇集的次数")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "请把 DATABASE_URL 设为 PostgreSQL，例如 "
            "postgres://postgres@127.0.0.1:5432/cadre_assessments"
        )
    from bench_registry import (
        ensure_pg_database,
        logged_in_client,
        measure,
        report,
        setup_django,
        timed_generate,
    )

    ensure_pg_database(url)
    setup_django()
    from django.core.management import call_command

    from cadre.cadres.models import Cadre

    call_command("migrate", interactive=False, verbosity=0)
    if Cadre.objects.exists():
        print(f"库中已有 {Cadre.objects.count():,} 名干部，跳过生成")
    else:
        print(f"规模 {args.scale} 生成用时 {timed_generate(args.scale, args.seed):.1f} 秒")
    cycles, user, unit_urls = targets()
    print(f"\n证据汇集（每个周期 {args.runs} 次，先预热 1 次）")
    for cycle in cycles:
        compile_runs(cycle, user, args.runs)
    print(f"\n页面（测试客户端，每项 {args.n} 次）")
    client = logged_in_client(user)
    for label, path in unit_urls.items():
        samples = measure(lambda p=path: get_ok(client, p), args.n)
        report("client", "org_admin@根单位", label, samples)


def targets() -> tuple[list[Any], Any, dict[str, str]]:
    from django.db.models import Count
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cadre.accounts.models import Grant, User
    from cadre.assessments import rules
    from cadre.assessments.models import Cycle, Participant
    from cadre.orgs.models import OrgUnit

    root = OrgUnit.objects.filter(parent__isnull=True).order_by("id").first()
    user, _ = User.objects.get_or_create(username="bench_assess_org")
    if not Grant.objects.active().filter(user=user, role="org_admin", org_unit=root).exists():
        Grant.objects.create(user=user, role="org_admin", org_unit=root)
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    year = timezone.localdate().year
    cycles = list(
        Cycle.objects.filter(year=year, scope_unit=root)
        .annotate(n=Count("participants"))
        .order_by("-n")
    )
    if not cycles:
        sys.exit("没有本年度的考核周期（生成数据缺少年度考核部分？）")
    Cycle.objects.filter(pk__in=[c.pk for c in cycles]).update(phase=rules.EVIDENCE)
    for c in cycles:
        c.refresh_from_db()
    big = cycles[0]
    unit = (
        Participant.objects.filter(cycle=big)
        .values("org_unit_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["org_unit_id"]
    )
    urls = {
        f"周期总览 {big.title}（{big.n:,}人）": f"/assessments/{big.pk}/",
        "单位等次建议页（证据面板并列）": f"/assessments/{big.pk}/units/{unit}/",
        "考核对象进度（第1页）": f"/assessments/{big.pk}/participants/",
    }
    return cycles, user, urls


def compile_runs(cycle: Any, user: Any, runs: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cadre.assessments.services.compile import compile_evidence

    compile_evidence(cycle=cycle, by=user)  # warm-up: URL patterns, rule settings
    samples, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            n = compile_evidence(cycle=cycle, by=user)
            samples.append(time.perf_counter() - started)
        queries = len(captured.captured_queries)
    p95 = (
        statistics.quantiles(samples, n=20, method="inclusive")[18]
        if len(samples) > 1
        else samples[0]
    )
    print(
        f"  {cycle.title}：{n:,} 名考核对象  中位数 {statistics.median(samples):6.2f} s"
        f"  p95 {p95:6.2f} s  （{queries} 条SQL语句/次，UPDATE 以 executemany 分批计为"
        f"每批一条）"
    )


def get_ok(client: Any, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} 返回 {response.status_code}（应为 200）")


if __name__ == "__main__":
    main()
