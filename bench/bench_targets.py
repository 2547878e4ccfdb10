"""Times the targets overview page and the mid-year snapshot at scale M on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadre_targets_m python bench/bench_targets.py
    python bench/bench_targets.py --runs 20 --snapshots 5 [--generate]

Assumes the registry of scale M exists in the database (`cadre generate --scale M`, or
bench/bench_registry.py). If the targets app has no data yet, `--generate` runs its
generator first (cadre/targets/generate.py) and times it. The overview is requested as an
org_admin granted on the root unit (a bench user is created once if missing), through the
whole Django stack (middleware, scope, template). Each snapshot runs in a transaction that
is rolled back, so the database is left as it was. Prints median and p95 in milliseconds.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from cadre.accounts.models import Grant, User  # noqa: E402
from cadre.cadres.models import Cadre  # noqa: E402
from cadre.orgs.models import OrgUnit  # noqa: E402
from cadre.targets import generate  # noqa: E402
from cadre.targets.models import Task, TaskBook  # noqa: E402
from cadre.targets.services.tracking import build_review  # noqa: E402

BENCH_USER = "bench_targets_admin"


def timings(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def report(label: str, ms: list[float]) -> None:
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"{label}: n={len(ms)} median={statistics.median(ms):.0f} ms p95={p95:.0f} ms "
        f"min={ordered[0]:.0f} ms max={ordered[-1]:.0f} ms"
    )


def bench_user(root: OrgUnit) -> User:
    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = User.objects.create_user(username=BENCH_USER, password=None)
        Grant.objects.create(user=user, role="org_admin", org_unit=root)
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return user


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user).first().persistent_id
    session.save()
    return client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20, help="overview requests")
    parser.add_argument("--snapshots", type=int, default=5, help="mid-year snapshots")
    parser.add_argument("--generate", action="store_true", help="generate targets data if none")
    parser.add_argument("--seed", type=int, default=20251020)
    args = parser.parse_args()

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    cadres = Cadre.objects.count()
    roots = list(OrgUnit.objects.filter(parent__isnull=True))
    print(
        f"registry: {cadres:,} cadres, {OrgUnit.objects.count():,} units, roots: "
        f"{', '.join(r.name for r in roots)}"
    )
    if cadres < 15_000:
        print("warning: fewer cadres than scale M (20,000); figures are not scale-M figures")
    year = timezone.localdate().year
    if not TaskBook.objects.filter(year=year).exists():
        if not args.generate:
            sys.exit("no targets data for this year: run with --generate")
        started = time.perf_counter()
        generate.generate(scale="M", seed=args.seed, log=print)
        print(f"targets generator: {time.perf_counter() - started:.1f} s")
    books = TaskBook.objects.filter(year=year)
    tasks = Task.objects.filter(book__year=year, withdrawn=False)
    print(
        f"{year}: {books.count():,} books, {tasks.count():,} tasks "
        f"(in force {tasks.filter(book__status__in=['approved', 'signed']).count():,})"
    )

    root = roots[0]
    setup_test_environment()  # lets the test client run with ALLOWED_HOSTS=testserver
    client = logged_in(bench_user(root))
    url = f"/targets/overview/?year={year}"
    first = client.get(url)
    assert first.status_code == 200, first.status_code
    report("overview page (org_admin, whole city)", timings(lambda: client.get(url), args.runs))

    def snapshot() -> None:
        with transaction.atomic():
            build_review(by=None, unit=root, as_of=date(year, 6, 30))
            transaction.set_rollback(True)

    report("mid-year snapshot (whole city, rolled back)", timings(snapshot, args.snapshots))


if __name__ == "__main__":
    main()
