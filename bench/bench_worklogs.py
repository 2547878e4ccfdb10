#!/usr/bin/env python
"""Daily logs benchmark: log submission over HTTP and a quarter's grade proposal, scale M.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadre_worklogs \\
        python bench/bench_worklogs.py [--prepare] [--clients 16] [--requests 40] [--runs 3]

Assumes the registry at scale M in the database of DATABASE_URL (`cadre generate --scale M`).
With `--prepare` it creates the database if missing, migrates, generates the registry when
there are no cadres, and this app's logs when there are none (timing that generation).

1. Log submission: starts gunicorn on 127.0.0.1:8196 (4 workers x 4 threads, DEBUG off),
   gives 16 bench cadres an account and an API token each, and lets 16 client threads
   (urllib) submit logs for their open days as fast as they can: POST /api/v1/worklogs/logs,
   then one bulk POST per client. Every answer must be 200. Prints requests/s, median, p95.
2. Grade proposal: proposes the last complete quarter for every cadre (in process, through
   the service the page calls), `--runs` times. Also times the city-wide compliance signals
   for that quarter (the org_admin overview). Prints median and p95 seconds.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
SEED = 20251020


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def line(label: str, samples: list[float], unit: str = "ms") -> None:
    print(
        f"  {label:<40} 中位数 {statistics.median(samples):9.1f} {unit}   "
        f"p95 {pct(samples, 0.95):9.1f} {unit}   (n={len(samples)})"
    )


def ensure_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"已创建数据库 {name}")


def prepare() -> None:
    from django.core.management import call_command

    from cadre.cadres.models import Cadre
    from cadre.generator.registry import generate_registry
    from cadre.worklogs import generate as worklogs_generate
    from cadre.worklogs.models import WorkLog

    call_command("migrate", verbosity=0)
    if not Cadre.objects.exists():
        started = time.monotonic()
        generate_registry(scale="M", seed=SEED, log=print)
        print(f"生成干部名册（规模 M）：{time.monotonic() - started:.1f} 秒")
    if not WorkLog.objects.exists():
        started = time.monotonic()
        worklogs_generate.generate(scale="M", seed=SEED, log=print)
        print(f"生成工作日志、周审阅和季度等次（规模 M）：{time.monotonic() - started:.1f} 秒")


# ---------------------------------------------------------------- HTTP submission


def bench_users(n: int) -> list[tuple[str, list[date]]]:
    """n cadres with an account and a fresh token each; returns (token, open days)."""
    from django.utils import timezone

    from cadre.accounts.models import ApiToken, User
    from cadre.cadres.models import Cadre
    from cadre.workdays.services import workdays_in
    from cadre.worklogs.services import check_day

    today = timezone.localdate()
    candidates = workdays_in(today.replace(day=1) - timedelta(days=20), today)[-8:]
    days = []
    for d in candidates:
        try:
            check_day(d, today=today)
            days.append(d)
        except ValueError:
            pass
    cadres = list(Cadre.objects.filter(status="active").order_by("id")[:n])
    tokens = []
    for i, cadre in enumerate(cadres):
        user = User.objects.filter(cadre=cadre).first() or User.objects.create_user(
            username=f"bench_wl_{i}", cadre=cadre, password=None
        )
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        _, raw = ApiToken.issue(user=user, name="bench_worklogs")
        tokens.append((raw, days))
    return tokens


def post(port: int, token: str, path: str, body: Any) -> tuple[int, float]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/worklogs{path}",
        method="POST",
        data=json.dumps(body, ensure_ascii=False, default=str).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (localhost)
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
        print(exc.read()[:300].decode(errors="replace"))
    return status, (time.perf_counter() - started) * 1000


def run_clients(
    port: int, users: list[tuple[str, list[date]]], requests: int
) -> tuple[list[float], list[float], float, int]:
    singles: list[float] = []
    bulks: list[float] = []
    failures = 0
    lock = threading.Lock()

    def client(k: int, token: str, days: list[date]) -> None:
        nonlocal failures
        mine, mine_bulk, bad = [], [], 0
        for j in range(requests):
            day = days[j % len(days)]
            status, ms = post(
                port,
                token,
                "/logs",
                {
                    "day": day,
                    "submit": True,
                    "hours": "8",
                    "text": f"基准测试{k}-{j}：上午参加专题会议研究{day:%m月%d日}重点工作，"
                    "下午调研",
                },
            )
            mine.append(ms)
            bad += status != 200
        items = [{"day": d, "text": f"批量提交{k}：整理{d:%m月%d日}工作台账"} for d in days]
        status, ms = post(port, token, "/logs/bulk", {"items": items})
        mine_bulk.append(ms)
        bad += status != 200
        with lock:
            singles.extend(mine)
            bulks.extend(mine_bulk)
            failures += bad

    threads = [
        threading.Thread(target=client, args=(k, token, days))
        for k, (token, days) in enumerate(users)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return singles, bulks, time.perf_counter() - started, failures


class Gunicorn:
    def __init__(self, port: int) -> None:
        self.port, self.proc = port, None

    def __enter__(self) -> "Gunicorn":
        env = {**os.environ, "DEBUG": "false"}
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "4",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env)  # type: ignore[assignment]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:  # type: ignore[attr-defined]
                raise SystemExit("gunicorn 启动失败")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise SystemExit("gunicorn 60 秒内未就绪")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ---------------------------------------------------------------- grade proposal


def bench_proposal(runs: int) -> None:
    from django.utils import timezone

    from cadre.cadres.models import Cadre
    from cadre.worklogs import rules
    from cadre.worklogs.services import propose_quarter_grades
    from cadre.worklogs.signals_api import scope_signals
    from cadre.worklogs.views.common import last_complete_quarter

    year, quarter = last_complete_quarter(timezone.localdate())
    cadres = Cadre.objects.all()
    print(
        f"\n季度等次建议：{year}年第{quarter}季度，全部在职干部 "
        f"{cadres.filter(status='active').count():,} 人"
    )
    samples, summary = [], None
    for _ in range(runs):
        started = time.perf_counter()
        summary = propose_quarter_grades(by=None, year=year, quarter=quarter, cadres=cadres)
        samples.append(time.perf_counter() - started)
    print(
        f"  （新增 {summary.created:,}，更新 {summary.updated:,}，"  # type: ignore[union-attr]
        f"已确认保持 {summary.kept_confirmed:,}）"
    )  # type: ignore[union-attr]
    line("生成一个季度全部等次建议", samples, "s")
    start, end = rules.quarter_bounds(year, quarter)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        scope_signals(cadres, start, end)
        samples.append(time.perf_counter() - started)
    line("全市一个季度的填报信号（集合查询）", samples, "s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=40, help="每个客户端的单篇提交次数")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8196)
    parser.add_argument("--no-http", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "请把 DATABASE_URL 设为 PostgreSQL，例如 "
            "postgres://postgres@127.0.0.1:5432/cadre_worklogs"
        )
    if args.prepare:
        ensure_database(url)
    import django

    django.setup()
    if args.prepare:
        prepare()
    from cadre.worklogs.models import WorkLog

    print(f"工作日志 {WorkLog.objects.count():,} 篇")
    if not args.no_http:
        users = bench_users(args.clients)
        from django.db import connections

        connections.close_all()
        with Gunicorn(args.port):
            for token, days in users[:1]:  # warm-up: imports, connections, calendar cache
                for _ in range(8):
                    post(args.port, token, "/logs", {"day": days[-1], "text": "预热"})
            singles, bulks, seconds, failures = run_clients(args.port, users, args.requests)
        total = len(singles) + len(bulks)
        print(
            f"\n日志提交（HTTP，{args.clients} 个并发客户端，gunicorn 4×4，127.0.0.1:{args.port}）"
        )
        print(
            f"  吞吐量 {total / seconds:9.1f} 次/秒（{total} 次请求，用时 {seconds:.1f} 秒，"
            f"失败 {failures}）"
        )
        line("单篇提交 POST /logs", singles)
        line(f"批量提交 POST /logs/bulk（每批 {len(users[0][1])} 篇）", bulks)
    bench_proposal(args.runs)


if __name__ == "__main__":
    main()
