"""`cadre token issue USERNAME --name NAME | list [USERNAME] | revoke PREFIX_OR_ID`."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.accounts.models import ApiToken, User
from cadre.accounts.tokens import TokenError, find_tokens, issue_token, revoke_token


class Command(BaseCommand):
    help = "签发、列出、撤销接口令牌（令牌与其用户的权限范围相同）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        issue = sub.add_parser("issue", help="为用户签发令牌；令牌原文只显示这一次")
        issue.add_argument("username")
        issue.add_argument("--name", required=True, help="用途，例如 统计报表脚本")
        lister = sub.add_parser("list", help="列出令牌（不含原文）")
        lister.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="按编号或前缀（如 cdr_AbCd）撤销令牌")
        revoke.add_argument("key", metavar="PREFIX_OR_ID")

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        if verb == "issue":
            self._issue(options["username"], options["name"])
        elif verb == "list":
            self._list(options.get("username"))
        else:
            self._revoke(options["key"])

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在：{username}")
        return user

    def _issue(self, username: str, name: str) -> None:
        user = self._user(username)
        try:
            token, raw = issue_token(user=user, name=name, by=None)
        except TokenError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已为 {user.get_username()} 签发令牌 #{token.pk}（{token.name}）。")
        self.stdout.write("令牌原文只显示这一次，请妥善保存：")
        self.stdout.write(raw)

    def _list(self, username: str | None) -> None:
        qs = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
        if username:
            qs = qs.filter(user=self._user(username))
        rows = list(qs)
        if not rows:
            self.stdout.write("没有令牌。")
            return
        self.stdout.write("编号\t前缀\t用户\t用途\t签发时间\t最近使用\t状态")
        for t in rows:
            self.stdout.write(
                "\t".join(
                    [
                        str(t.pk),
                        t.prefix,
                        t.user.get_username(),
                        t.name,
                        f"{t.created_at:%Y-%m-%d %H:%M}",
                        f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "从未使用",
                        f"已撤销 {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "有效",
                    ]
                )
            )

    def _revoke(self, key: str) -> None:
        matches = find_tokens(key)
        if not matches:
            raise CommandError(f"没有找到令牌：{key}")
        if len(matches) > 1:
            ids = "、".join(f"#{t.pk}" for t in matches)
            raise CommandError(f"前缀 {key} 对应多个令牌（{ids}），请改用编号")
        try:
            token = revoke_token(token=matches[0], by=None)
        except TokenError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已撤销令牌 #{token.pk} {token.prefix}…（{token.user.get_username()}）")
