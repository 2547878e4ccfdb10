"""`cadre demo`: set up the SQLite demo (migrate, generate a county, demo accounts), serve it.

The server runs as a child process (`runserver --noreload`) with CADRE_OTP_DEMO_BYPASS=true
in its environment: settings are read afresh there, so the bypass goes through the same
check as any deployment (settings refuse it with CADRE_ENV=production).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections

from cadre.cadres.models import Cadre
from cadre.generator.demo import DemoAccount, DemoError, ensure_demo_accounts

DEMO_SEED = 20251020
WARNING = "警告：演示账号的密码是公开的固定密码，演示环境仅供体验，切勿用于生产或存放真实数据。"
BYPASS_NOTE = "演示模式：动态验证码步骤已跳过；生产环境不可用"


class Command(BaseCommand):
    help = "一键演示：建库、迁移、生成一个县的合成数据、创建各角色演示账号并启动服务"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--addr", default="127.0.0.1:8000", help="监听地址，默认 127.0.0.1:8000"
        )
        parser.add_argument("--no-serve", action="store_true", help="只准备数据和账号，不启动服务")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="把现有演示数据库改名备份后重新生成（仅限 SQLite 演示库）",
        )
        parser.add_argument("--scale", default="S", help="(供测试使用) 生成规模")

    def handle(
        self, *args: Any, addr: str, no_serve: bool, reset: bool, scale: str, **options: Any
    ) -> None:
        if settings.PRODUCTION:
            raise CommandError("生产环境（CADRE_ENV=production）不能运行演示命令")
        data_dir = Path(settings.DATA_DIR)
        data_dir.mkdir(parents=True, exist_ok=True)
        if reset:
            self._reset(data_dir)
        self._say(f"数据库：{_describe_db()}")
        call_command("migrate", interactive=False, verbosity=0)
        if Cadre.objects.exists():
            self._say("已有演示数据，直接使用（如需重新生成请加 --reset）")
        else:
            call_command("generate", scale=scale, seed=DEMO_SEED, stdout=self.stdout)
        try:
            accounts = ensure_demo_accounts()
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        path = self._write_json(data_dir, accounts, addr)
        self._print_table(accounts, path)
        if no_serve:
            self._say("已按 --no-serve 跳过启动服务。登录时请用上表的动态验证码密钥生成验证码。")
            return
        self._serve(addr)

    def _say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def _reset(self, data_dir: Path) -> None:
        db = Path(str(settings.DATABASES["default"]["NAME"]))
        if connection.vendor != "sqlite" or db != data_dir / "cadre.sqlite3":
            raise CommandError("--reset 只适用于 DATA_DIR 下的 SQLite 演示数据库 cadre.sqlite3")
        connections.close_all()
        if not db.exists():
            return
        backup = db.with_name(f"{db.name}.bak-{time.strftime('%Y%m%d-%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{db}{suffix}")
            if part.exists():
                part.rename(f"{backup}{suffix}")
        self._say(f"原演示数据库已改名保存为 {backup.name}，将重新生成")

    def _write_json(self, data_dir: Path, accounts: list[DemoAccount], addr: str) -> Path:
        path = data_dir / "demo-accounts.json"
        payload = {
            "warning": WARNING,
            "base_url": f"http://{addr}/",
            "otp_demo_bypass_when_served": True,
            "accounts": [a.as_dict() for a in accounts],
        }
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        path.chmod(0o600)
        return path

    def _print_table(self, accounts: list[DemoAccount], path: Path) -> None:
        self._say("")
        self._say("演示账号（每次启动都会重新签发接口令牌，旧的演示令牌同时撤销）：")
        self._say("角色 | 用户名 | 密码 | 范围 | 动态验证码密钥(base32)")
        for a in accounts:
            secret = a.totp_secret or "（干部本人账号无需动态验证码）"
            self._say(f"{a.label} | {a.username} | {a.password} | {a.scope} | {secret}")
        self._say("群众（public） | 无需账号 | — | 公开举报与回执查询页面 | —")
        self._say("各账号的 otpauth:// 链接（可导入身份验证器）：")
        for a in accounts:
            if a.otpauth_uri:
                self._say(f"  {a.username}: {a.otpauth_uri}")
        self._say(f"账号、密码、动态验证码密钥和接口令牌已写入 {path}")
        self.stdout.write(self.style.WARNING(WARNING))

    def _serve(self, addr: str) -> None:
        self._say(BYPASS_NOTE)
        self._say(f"服务地址：http://{addr}/  （按 Ctrl+C 停止）")
        connections.close_all()
        env = {**os.environ, "CADRE_OTP_DEMO_BYPASS": "true"}
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        cmd = [sys.executable, "-m", "cadre.cli", "runserver", "--noreload", "--insecure", addr]
        child = subprocess.Popen(cmd, env=env)  # noqa: S603 (our own interpreter and module)
        try:
            code = child.wait()
        except KeyboardInterrupt:
            child.terminate()
            code = child.wait()
        if code not in (0, -2, -15):
            raise CommandError(f"服务进程异常退出（代码 {code}）")


def _describe_db() -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"SQLite {db['NAME']}"
    return f"{connection.vendor} {db.get('HOST') or 'localhost'}/{db['NAME']}"
