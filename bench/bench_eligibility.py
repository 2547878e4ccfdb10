#!/usr/bin/env python
"""Eligibility benchmark (issue 11): the one answer for every cadre in one set-based call,
the same with a target post (adds 第七条 qualifications, training hours and 任职回避), and the
API for one cadre. Goal: every cadre at scale M in under 2 s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadre_eligibility \\
        python bench/bench_eligibility.py [--prepare] [--scale M] [--runs 5]

With `--prepare` it migrates and, when there are no cadres, runs `cadre generate` (registry and
every app's data, so measures, grades, cases and training all feed the answer). Prints median
and p95, the number of queries of one call, and how many cadres are blocked per decision.
"""

import argparse
import os
import statistics
import sys
import time
from collections import Counter
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
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cadre.cadres.decisions import answers  # noqa: E402
from cadre.cadres.models import Cadre  # noqa: E402
from cadre.orgs.models import Position  # noqa: E402


def stats(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"{label:<52} median {statistics.median(ordered) * 1000:9.1f} ms"
        f"   p95 {p95 * 1000:9.1f} ms   (n={len(ordered)})"
    )


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--scale", default="M")
    parser.add_argument("--seed", default="20251020")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.prepare:
        call_command("migrate", verbosity=0)
        if not Cadre.objects.exists():
            started = time.perf_counter()
            call_command("generate", scale=args.scale, seed=args.seed)
            print(f"生成规模 {args.scale}: {time.perf_counter() - started:.1f} s")
    ids = list(Cadre.objects.values_list("id", flat=True))
    on = date(2026, 6, 1)
    print(f"干部 {len(ids):,} 名，日期 {on}")
    with CaptureQueriesContext(connection) as queries:
        found = answers(ids, on)
    blocked = Counter(d for a in found.values() for d, bs in a.blocks.items() if bs)
    print(f"一次调用的查询数：{len(queries)}；受限人数：{dict(sorted(blocked.items()))}")
    stats(
        f"answers(all {len(ids):,} cadres, on)",
        [timed(lambda: answers(ids, on)) for _ in range(args.runs)],
    )
    post = Position.objects.filter(is_leadership=True).order_by("id").first()
    if post is not None:
        some = ids[:1000]
        stats(
            f"answers({len(some):,} cadres, on, position)",
            [timed(lambda: answers(some, on, post.pk)) for _ in range(args.runs)],
        )
        stats(
            "answers(1 cadre, on, position)",
            [timed(lambda: answers(ids[:1], on, post.pk)) for _ in range(args.runs * 4)],
        )


if __name__ == "__main__":
    main()
