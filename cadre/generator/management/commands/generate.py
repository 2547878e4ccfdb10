"""`cadre generate --scale S|M|L --seed N`: synthetic data for the demo, tests and benchmarks.

Builds the registry first (cadre.generator.registry), then calls every app's
`cadre.<app>.generate.generate(scale=, seed=, log=)` in INSTALLED_APPS order. Found by module
name on purpose: a plug-in an app may or may not have (an app without data to generate is
normal), not a link between apps, so not a contract (cadre/core/contracts.py).
"""

import time
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.cadres.models import Cadre
from cadre.generator.registry import generate_registry, registry_digest
from cadre.generator.scales import SCALES
from cadre.orgs.models import OrgUnit

PUBLIC_SCALES = ("S", "M", "L")


class Command(BaseCommand):
    help = "生成合成数据：S 一个县（约2,000名干部）、M 一个市（约20,000）、L 一个省（约200,000）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", default="S", help="规模：S 县、M 市、L 省（XS 仅供测试）")
        parser.add_argument("--seed", default="20251020", help="随机种子（整数），种子相同数据相同")
        parser.add_argument(
            "--force",
            action="store_true",
            help="库中已有单位（但没有干部）时仍然生成，新数据作为另一棵单位树加入",
        )
        parser.add_argument("--digest", action="store_true", help="完成后输出数据指纹，便于比对")

    def handle(
        self, *args: Any, scale: str, seed: str, force: bool, digest: bool, **options: Any
    ) -> None:
        scale = scale.strip().upper()
        if scale not in SCALES:
            raise CommandError(f"规模“{scale}”无效，只能是 S、M 或 L")
        try:
            number = int(str(seed).strip())
        except ValueError:
            raise CommandError(f"种子“{seed}”无效，必须是整数") from None
        if Cadre.objects.exists():
            raise CommandError(
                "数据库中已有干部数据，拒绝生成（生成数据不会覆盖或删除已有记录）。"
                "请使用一个新的数据库：设置新的 CADRE_DATA_DIR 或 DATABASE_URL 后重试。"
            )
        if OrgUnit.objects.exists() and not force:
            raise CommandError(
                "数据库中已有单位数据。如确需在其旁边生成一套新的单位树，请加 --force；"
                "否则请使用一个新的数据库。"
            )
        spec = SCALES[scale]
        log = self._log
        log(f"生成规模 {scale}（{spec.label}，约 {spec.cadres:,} 名干部），种子 {number}")
        total = time.monotonic()
        started = time.monotonic()
        counts = generate_registry(scale=scale, seed=number, log=log)
        log(
            f"干部名册：{counts.cadres:,} 名干部，任职记录 {counts.appointments:,} 条，"
            f"职级记录 {counts.ranks:,} 条，班子成员 {counts.memberships:,} 条，"
            f"用时 {time.monotonic() - started:.1f} 秒"
        )
        for app_label, module in app_generators():
            started = time.monotonic()
            log(f"[{app_label}] 生成中 …")
            module.generate(scale=scale, seed=number, log=log)
            log(f"[{app_label}] 完成，用时 {time.monotonic() - started:.1f} 秒")
        if digest:
            log(f"数据指纹（干部名册）：{registry_digest()}")
        log(f"全部完成，总用时 {time.monotonic() - total:.1f} 秒")

    def _log(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()


def app_generators() -> list[tuple[str, Any]]:
    """Each installed cadre app's `generate` module, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("cadre."):
            continue
        name = f"{config.name}.generate"
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a missing dependency inside the module is a real error
                raise
            continue
        found.append((config.label, module))
    return found
