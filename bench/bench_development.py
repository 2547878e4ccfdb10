#!/usr/bin/env python
"""Development and care benchmark: the rotation candidate query and executing a rotation
plan of 500 moves in one transaction, at scale M.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadre_development \\
        python bench/bench_development.py [--prepare] [--runs 5] [--moves 500]

Assumes the registry at scale M in the database of DATABASE_URL (`cadre generate --scale M`);
with `--prepare` it migrates and, when there are no cadres, generates the registry and this
app's own records only (not the other apps'). Every plan run happens inside a transaction
that is rolled back, so the data is the same for every run and after the benchmark.
Prints median and p95 seconds.
"""

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from cadre.accounts.models import User  # noqa: E402
from cadre.cadres.models import Appointment, Cadre  # noqa: E402
from cadre.care import services as care  # noqa: E402
from cadre.development import services  # noqa: E402
from cadre.development.models import Relative  # noqa: E402
from cadre.orgs.models import OrgUnit, Position  # noqa: E402


class Rollback(Exception):
    pass


def stats(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"{label:<44} median {statistics.median(ordered):8.3f} s   p95 {p95:8.3f} s"
        f"   (n={len(ordered)})"
    )


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def prepare(seed: int) -> None:
    call_command("migrate", verbosity=0)
    if Cadre.objects.exists():
        return
    from cadre.care import generate as care_generate
    from cadre.development import generate as dev_generate
    from cadre.generator.registry import generate_registry

    for name, fn in (
        ("registry", lambda: generate_registry(scale="M", seed=seed, log=print)),
        ("development", lambda: dev_generate.generate(scale="M", seed=seed, log=print)),
        ("care", lambda: care_generate.generate(scale="M", seed=seed, log=print)),
    ):
        seconds, _ = timed(fn)
        print(f"生成 {name}: {seconds:.1f} s")


def swap_pairs(n_moves: int) -> list[tuple[Cadre, Position, str]]:
    """Pairs of non-leading cadres in the same county who swap posts: every vacancy nets out,
    no kinship, no promotion, no regional rule applies, so the whole plan passes its checks."""
    today = timezone.localdate()
    kin = set(Relative.objects.values_list("cadre_id", flat=True)) | set(
        Relative.objects.values_list("relative_id", flat=True)
    )
    rows = (
        Appointment.objects.filter(
            ended_on__isnull=True,
            is_primary=True,
            started_on__lt=today,
            cadre__status="active",
            position__is_leadership=False,
        )
        .exclude(cadre_id__in=kin)
        .order_by("position__org_unit__path", "id")
        .values_list("cadre_id", "position_id", "position__org_unit__path")
    )
    by_county: dict[str, list[tuple[int, int]]] = defaultdict(list)
    seen: set[int] = set()
    for cid, pid, path in rows.iterator(chunk_size=5000):
        if cid not in seen:
            seen.add(cid)
            by_county["/".join(path.split("/")[:3])].append((cid, pid))
    pairs: list[tuple[int, int, int, int]] = []
    for members in by_county.values():
        for (a, pa), (b, pb) in zip(members[::2], members[1::2], strict=False):
            if pa != pb and len(pairs) * 2 < n_moves:
                pairs.append((a, pa, b, pb))
    cadres = Cadre.objects.select_related("org_unit").in_bulk([x for p in pairs for x in p[::2]])
    positions = Position.objects.select_related("org_unit").in_bulk(
        [x for p in pairs for x in p[1::2]]
    )
    moves = []
    for a, pa, b, pb in pairs:
        moves += [
            (cadres[a], positions[pb], "基准：对调"),
            (cadres[b], positions[pa], "基准：对调"),
        ]
    return moves


def bench_candidates(runs: int) -> None:
    today = timezone.localdate()
    cadres = Cadre.objects.active()
    found: list[Any] = []
    for label, fn in (
        ("轮岗交流人选（全市，集合查询）", lambda: services.rotation_candidates(cadres, today)),
        ("培训需求（全市）", lambda: services.needs_for(cadres, today)),
        ("谈心谈话覆盖率（按单位）", lambda: care.coverage_by_unit(cadres, today.year - 1)),
        ("职级晋升资格（全市）", lambda: care.rank_eligibility_for(cadres, today)),
    ):
        samples = []
        for _ in range(runs):
            seconds, found = timed(fn)
            samples.append(seconds)
        stats(f"{label} [{len(found):,}]", samples)


def one_plan_run(
    moves: list[tuple[Cadre, Position, str]], root: OrgUnit, *, broken: bool
) -> dict[str, float]:
    """Plan, approve and execute inside a transaction that is always rolled back."""
    times: dict[str, float] = {}
    try:
        with transaction.atomic():
            user = User.objects.create(username=f"bench_dev_{time.time_ns()}", is_superuser=True)
            today = timezone.localdate()
            plan = services.create_plan(
                by=user, year=today.year, title="基准交流方案", org_unit=root, effective_on=today
            )
            times["add"], _ = timed(lambda: services.add_moves(by=user, plan=plan, moves=moves))
            plan.refresh_from_db()
            times["approve"], plan = timed(
                lambda: services.approve_plan(by=user, plan=plan, version=plan.version)
            )
            if broken:  # after approval one mover's post changed elsewhere: refuse it all
                Appointment.objects.filter(cadre=moves[0][0], ended_on__isnull=True).update(
                    ended_on=today
                )
            before = Appointment.objects.count()
            started = time.perf_counter()
            try:
                plan = services.execute_plan(by=user, plan=plan, version=plan.version)
            except services.DevelopmentError:
                times["refuse"] = time.perf_counter() - started
                assert Appointment.objects.count() == before, "部分写入！"
                assert not Appointment.objects.filter(
                    how="rotation", started_on=today, note__contains="基准交流方案"
                ).exists()
            else:
                times["execute"] = time.perf_counter() - started
                assert Appointment.objects.count() == before + len(moves)
                assert plan.status == "executed"
            raise Rollback
    except Rollback:
        pass
    return times


def bench_plan(runs: int, n_moves: int) -> None:
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("id").first()
    assert root is not None, "库中没有单位数据"
    moves = swap_pairs(n_moves)
    print(f"交流方案人选 {len(moves)} 人（{len(moves) // 2} 对对调，同县、非领导职务、无亲属登记）")
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        for key, value in one_plan_run(moves, root, broken=False).items():
            samples[key].append(value)
    stats(f"加入 {len(moves)} 名人选（add_moves）", samples["add"])
    stats("审核批准（含全部执行前检查）", samples["approve"])
    stats(f"执行 {len(moves)} 人交流（一个事务）", samples["execute"])
    refused = [one_plan_run(moves, root, broken=True)["refuse"] for _ in range(max(1, runs // 2))]
    stats("含一处违规的方案：整体拒绝、无写入", refused)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--moves", type=int, default=500)
    parser.add_argument("--prepare", action="store_true", help="迁移，并在无数据时生成规模 M")
    parser.add_argument("--seed", type=int, default=20251020)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.seed)
    print(
        f"数据库 {connection.vendor} {connection.settings_dict['NAME']}：干部 "
        f"{Cadre.objects.count():,} 名，任职记录 {Appointment.objects.count():,} 条"
    )
    bench_candidates(args.runs)
    bench_plan(args.runs, args.moves)


if __name__ == "__main__":
    main()
