"""`cadre audit verify`: recompute the hash chain of the audit log (TRUST.md LG-02)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cadre.audit.services import check_chain


class Command(BaseCommand):
    help = "审计日志工具。verify：逐条重算哈希链，报告第一条断裂的记录（断裂时退出码为 1）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"], help="verify：校验哈希链")
        parser.add_argument("--batch", type=int, default=5000, help="每批读取的条数")

    def handle(self, *args: Any, **options: Any) -> None:
        report = check_chain(batch=max(100, options["batch"]))
        if report.broken is None:
            self.stdout.write(f"审计日志校验通过，共{report.checked}条")
            return
        self.stderr.write(
            f"审计日志校验失败：第一条断裂的记录编号为 {report.broken.entry_id}，"
            f"原因：{report.broken.reason}（此前{report.checked}条完好）"
        )
        raise SystemExit(1)
