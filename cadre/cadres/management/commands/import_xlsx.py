"""`cadre import FILE.xlsx [--user USERNAME]`: the web page's import, from the command line.

Without --user it runs as the system (full scope); the audit event has no actor and cli=true.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.accounts.access import has_role
from cadre.accounts.models import Role, User
from cadre.cadres.importing import check_file_name, import_workbook
from cadre.core.excel import ExcelFileError


class Command(BaseCommand):
    help = "从Excel导入单位、职位、干部、任职记录（整个文件全部正确才写入）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="要导入的 .xlsx 文件")
        parser.add_argument("--user", help="以该用户（组织部干部）的身份和管理范围导入")

    def handle(self, *args: Any, **options: Any) -> None:
        by = self._user(options["user"]) if options["user"] else None
        result = import_workbook(data=self._read(Path(options["file"])), by=by, cli=True)
        if not result.ok:
            self.stderr.write("工作表\t行\t列\t问题")
            for p in result.problems:
                where = f"{p.sheet or '整个文件'}\t{p.row or '—'}\t{p.column or '—'}"
                self.stderr.write(f"{where}\t{p.message}")
            raise CommandError(f"导入失败：共 {len(result.problems)} 处问题，未写入任何数据")
        self.stdout.write(self.style.SUCCESS(f"导入成功：{result.summary()}"))

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户不存在或已停用：{username}")
        if not has_role(user, Role.ORG_ADMIN):
            raise CommandError(f"用户 {username} 不是组织部干部，无权导入")
        return user

    def _read(self, path: Path) -> bytes:
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            check_file_name(path.name)
        except ExcelFileError as exc:
            raise CommandError(str(exc)) from exc
        if path.stat().st_size > settings.CADRE_IMPORT_MAX_BYTES:
            limit = settings.CADRE_IMPORT_MAX_BYTES // 1024 // 1024
            raise CommandError(f"文件大小超过上限（{limit} MB），请分批导入")
        return path.read_bytes()
