#!/usr/bin/env python3
"""One-step set-up for a fresh machine with only Python 3.11 and pip.

    python3 dev.py demo    create .venv, install the locked dependencies, start the demo
    python3 dev.py test    create .venv, install, run the whole test suite (pytest args pass on)

Set DATABASE_URL=postgres://... to run the tests against PostgreSQL.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
LOCKS = ["requirements.lock", "requirements-dev.lock"]


def ensure_env() -> None:
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"需要 Python 3.11（当前 {sys.version.split()[0]}）/ Python 3.11 is required")
    if not (BIN / "python").exists():
        print("创建虚拟环境 .venv …")
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256(b"".join((ROOT / f).read_bytes() for f in LOCKS)).hexdigest()
    stamp = VENV / ".installed"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print("安装依赖（按 requirements*.lock 锁定版本与哈希）…")
    pip = [str(BIN / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    reqs = [arg for f in LOCKS for arg in ("-r", f)]
    subprocess.run([*pip, "--require-hashes", *reqs], cwd=ROOT, check=True)
    subprocess.run([*pip, "--no-deps", "--no-build-isolation", "-e", "."], cwd=ROOT, check=True)
    stamp.write_text(digest)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("demo", "test"):
        sys.exit(__doc__)
    ensure_env()
    os.chdir(ROOT)
    if sys.argv[1] == "demo":
        cmd = [str(BIN / "cadre"), "demo", *sys.argv[2:]]
    else:
        cmd = [str(BIN / "python"), "-m", "pytest", *sys.argv[2:]]
    sys.exit(subprocess.call(cmd))


if __name__ == "__main__":
    main()
