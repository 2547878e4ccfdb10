"""Times the Excel import of a 10,000-row workbook (units, positions, cadres, appointments).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadre_bench python bench/bench_import.py
    python bench/bench_import.py [--runs 5] [--profile]      # SQLite, in memory

Runs against a throw-away test database (Django's test database creation: `test_<name>`),
never the demo data. Each import is rolled back so every run starts from the same registry.
Prints the median and p95 seconds of parsing alone and of the whole import.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from cadre.cadres import excel, rules  # noqa: E402
from cadre.cadres.importing import import_workbook  # noqa: E402
from cadre.core.excel import open_workbook  # noqa: E402
from cadre.orgs.services import create_org_unit  # noqa: E402

UNITS, POSTS_PER_UNIT = 50, 10
CADRES = (10_000 - UNITS - UNITS * POSTS_PER_UNIT) // 2


def id_number(n: int) -> str:
    born = date(1975, 1, 1) + timedelta(days=n // 1000)
    first17 = f"330102{born:%Y%m%d}{n % 1000:03d}"
    return first17 + rules.id_check_char(first17)


def build_workbook() -> bytes:
    sheets: dict[str, list[list[object]]] = {
        excel.SHEET_UNITS: [],
        excel.SHEET_POSITIONS: [],
        excel.SHEET_CADRES: [],
        excel.SHEET_APPOINTMENTS: [],
    }
    names = []
    for i in range(UNITS):
        parent = "基准市/基准县" if i < 10 else f"基准县/基准县第{i % 10}局"
        name = f"基准县第{i}局" if i < 10 else f"第{i % 10}局{i}科"
        names.append(name if i < 10 else f"基准县第{i % 10}局/{name}")
        sheets[excel.SHEET_UNITS].append([name, parent, "政府部门" if i < 10 else "内设机构", ""])
        lead = [names[-1], "负责人", "是", "乡科级正职", "综合", "否", 1]
        sheets[excel.SHEET_POSITIONS].append(lead)
        sheets[excel.SHEET_POSITIONS] += [
            [names[-1], f"科员{k}", "否", "", "财政", "否", 1] for k in range(POSTS_PER_UNIT - 1)
        ]
    for n in range(CADRES):
        unit = names[n % UNITS]
        sheets[excel.SHEET_CADRES].append(
            [
                f"干部{n}",
                id_number(n),
                "汉族",
                "大学本科",
                "财政学",
                "中共党员",
                "2010-06-01",
                "2008-07-01",
                unit,
                "一级科员",
                "2015-01-01",
            ]
        )
        title = "负责人" if n < UNITS else f"科员{n % (POSTS_PER_UNIT - 1)}"
        sheets[excel.SHEET_APPOINTMENTS].append(
            [id_number(n), unit, title, "2016-05-01", "2019-12-31" if n % 2 else None, "任命", None]
        )
    wb = openpyxl.Workbook()
    del wb[wb.sheetnames[0]]
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        ws.append(list(excel.SHEETS[name][0]))
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def time_parse(data: bytes) -> float:
    start = time.perf_counter()
    wb = open_workbook(data, max_bytes=settings.CADRE_IMPORT_MAX_BYTES)
    parsed = excel.parse_workbook(wb, max_rows=50_000, today=timezone.localdate())
    assert not parsed.problems
    assert parsed.row_count == 10_000
    return time.perf_counter() - start


def time_import(data: bytes) -> float:
    with transaction.atomic():
        start = time.perf_counter()
        result = import_workbook(data=data, by=None, cli=True)
        elapsed = time.perf_counter() - start
        assert result.ok, result.problems[:5]
        transaction.set_rollback(True)
    return elapsed


def report(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"{label}: median {statistics.median(times):.2f} s, p95 {p95:.2f} s (runs {len(times)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        city = create_org_unit(by=None, parent=None, name="基准市", kind="city")
        create_org_unit(by=None, parent=city, name="基准县", kind="county")
        start = time.perf_counter()
        data = build_workbook()
        print(
            f"{connection.vendor}: built a 10,000-row workbook ({len(data) // 1024} KB) "
            f"in {time.perf_counter() - start:.2f} s"
        )
        report("parse (open + validate cells)", [time_parse(data) for _ in range(args.runs)])
        report("import (parse + checks + write)", [time_import(data) for _ in range(args.runs)])
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(time_import, data)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
