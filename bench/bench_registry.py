#!/usr/bin/env python
"""Registry benchmark: generate scale M on PostgreSQL, then time the cadre pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadre_bench python bench/bench_registry.py
    python bench/bench_registry.py --generate-only --scale S      # SQLite in a temp directory

The first form creates the database if it is missing, migrates, generates scale M unless
cadres are already there, then times the cadre list, a cadre page and a filtered search
for an org_admin at the root and a unit_head of one county: through the Django test
client, then over HTTP against a gunicorn it starts on 127.0.0.1:8191 (and stops).
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED = 20251020


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generate-only", action="store_true", help="只测生成时间")
    parser.add_argument("--scale", default=None, help="规模 S/M/L（默认：基准 M，仅生成 S）")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("-n", type=int, default=30, help="每个页面的请求次数")
    parser.add_argument("--port", type=int, default=8191)
    parser.add_argument("--no-http", action="store_true", help="跳过 HTTP 部分")
    args = parser.parse_args()
    if args.generate_only:
        generate_only(args.scale or "S", args.seed)
    else:
        bench(args.scale or "M", args)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def timed_generate(scale: str, seed: int) -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("generate", scale=scale, seed=seed)
    return time.perf_counter() - started


def generate_only(scale: str, seed: int) -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ["CADRE_DATA_DIR"] = tempfile.mkdtemp(prefix="cadre-bench-")
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"迁移用时 {time.perf_counter() - started:.1f} 秒（{connection.vendor}）")
    seconds = timed_generate(scale, seed)
    where = f"{connection.vendor} {connection.settings_dict['NAME']}"
    print(f"规模 {scale} 生成用时 {seconds:.1f} 秒（{where}）")


def ensure_pg_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"已创建数据库 {name}")


def bench(scale: str, args: argparse.Namespace) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "请把 DATABASE_URL 设为 PostgreSQL，例如 postgres://postgres@127.0.0.1:5432/cadre_bench"
        )
    ensure_pg_database(url)
    setup_django()
    from django.core.management import call_command

    from cadre.cadres.models import Cadre

    call_command("migrate", interactive=False, verbosity=0)
    if Cadre.objects.exists():
        print(f"库中已有 {Cadre.objects.count():,} 名干部，跳过生成")
    else:
        print(f"规模 {scale} 生成用时 {timed_generate(scale, args.seed):.1f} 秒")
    users, urls = bench_targets()
    print(f"\n测试客户端（每项 {args.n} 次）")
    clients = {name: logged_in_client(user) for name, user in users.items()}
    for name, client in clients.items():
        for label, path in urls.items():
            samples = measure(lambda c=client, p=path: client_get(c, p), args.n)
            report("client", name, label, samples)
    if args.no_http:
        return
    print(f"\nHTTP（gunicorn 127.0.0.1:{args.port}，每项 {args.n} 次）")
    with GunicornServer(args.port):
        for name, client in clients.items():
            cookie = f"{cookie_name()}={client.cookies[cookie_name()].value}"
            for label, path in urls.items():
                target = f"http://127.0.0.1:{args.port}{path}"
                samples = measure(lambda t=target, c=cookie: http_get(t, c), args.n)
                report("http", name, label, samples)


def bench_targets() -> tuple[dict[str, Any], dict[str, str]]:
    from django.db.models import Count
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cadre.accounts.models import Grant, User
    from cadre.cadres.models import Cadre
    from cadre.orgs.models import OrgUnit

    root = OrgUnit.objects.filter(parent__isnull=True).order_by("id").first()
    county = OrgUnit.objects.filter(kind="county").order_by("path").first()
    users = {}
    personas = (("bench_org", "org_admin", root), ("bench_head", "unit_head", county))
    for username, role, unit in personas:
        user, _ = User.objects.get_or_create(username=username)
        if not Grant.objects.active().filter(user=user, role=role, org_unit=unit).exists():
            Grant.objects.create(user=user, role=role, org_unit=unit)
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        users[f"{role}@{unit.name}"] = user
    cadre = Cadre.objects.filter(org_unit__path__startswith=county.path).order_by("id").first()
    rank = (
        Cadre.objects.exclude(rank="")
        .values("rank")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["rank"]
    )
    query = urllib.parse.urlencode({"q": "王", "rank": rank, "age_min": 35, "years_min": 3})
    urls = {
        "干部名册": "/cadres/",
        "干部页面": f"/cadres/{cadre.pk}/",
        "筛选查询": f"/cadres/?{query}",
    }
    return users, urls


def cookie_name() -> str:
    from django.conf import settings

    return settings.SESSION_COOKIE_NAME


def logged_in_client(user: Any) -> Any:
    """A test client with a session past both login steps (password and TOTP)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user).first().persistent_id
    session.save()
    return client


def client_get(client: Any, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} 返回 {response.status_code}（应为 200）")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def http_get(url: str, cookie: str) -> None:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 (http only)
    try:
        with _opener.open(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    if status != 200:
        raise SystemExit(f"{url} 返回 {status}（应为 200）")


def measure(call: Callable[[], None], n: int) -> list[float]:
    for _ in range(2):  # warm-up: connections, template caches
        call()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def report(kind: str, user: str, label: str, samples: list[float]) -> None:
    p95 = statistics.quantiles(samples, n=20, method="inclusive")[18]
    print(
        f"  {kind:6} {user:24} {label}  中位数 {statistics.median(samples):7.1f} ms"
        f"  p95 {p95:7.1f} ms"
    )


class GunicornServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "GunicornServer":
        env = {**os.environ, "DEBUG": "false"}
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("gunicorn 启动失败")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise SystemExit("gunicorn 60 秒内未就绪")

    def __exit__(self, *exc: object) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


if __name__ == "__main__":
    main()
