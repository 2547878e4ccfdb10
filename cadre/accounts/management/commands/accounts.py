"""`cadre accounts unlock|end-sessions|disable USERNAME`: the administrator's account tools.

Each action is audited (TRUST.md AU-03: lockout reset; AU-05: ending sessions, disabling).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.accounts import services
from cadre.accounts.models import User
from cadre.core.errors import Refused


class Command(BaseCommand):
    help = (
        "账号管理：unlock 解除登录锁定；end-sessions 结束全部会话；"
        "disable 停用账号（须 --reason）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["unlock", "end-sessions", "disable"])
        parser.add_argument("username")
        parser.add_argument("--reason", default="", help="停用原因（disable 必填）")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"][:150]
        if options["action"] == "unlock":
            count = services.reset_lockout(by=None, username=username)
            self.stdout.write(f"已解除账号 {username} 的登录锁定（清除{count}条失败记录）")
            return
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有账号 {username}")
        if options["action"] == "end-sessions":
            services.end_sessions(by=None, user=user)
            self.stdout.write(f"账号 {username} 的全部会话已结束")
            return
        try:
            services.disable_user(by=None, user=user, reason=options["reason"])
        except Refused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"账号 {username} 已停用，全部会话已结束")
