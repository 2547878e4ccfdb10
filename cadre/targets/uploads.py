"""Evidence files: extension allowlist + magic bytes + size cap (TRUST.md FU-01..03).

Settings (Django settings, with these defaults): CADRE_EVIDENCE_MAX_BYTES (10 MB) and
CADRE_EVIDENCE_TYPES (pdf, jpg, jpeg, png, docx, xlsx). A file is stored under a generated
name; the user's file name is kept only as cleaned metadata and never used as a path.
"""

import hashlib
import io
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile

from cadre.targets.rules import RuleError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_TYPES = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx")
MAX_FILES = 10

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAGIC = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}
OOXML_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


@dataclass(frozen=True)
class CheckedFile:
    name: str  # cleaned original name (metadata)
    ext: str
    content_type: str
    data: bytes
    sha256: str


def max_bytes() -> int:
    return int(getattr(settings, "CADRE_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def allowed_types() -> tuple[str, ...]:
    return tuple(getattr(settings, "CADRE_EVIDENCE_TYPES", DEFAULT_TYPES))


def clean_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    return base.strip().strip(".")[:120] or "附件"


def _ooxml_ok(data: bytes, ext: str) -> bool:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except zipfile.BadZipFile:
        return False
    if len(infos) > 2000 or sum(i.file_size for i in infos) > 100 * max(len(data), 1):
        return False
    names = set(zf.namelist())
    return "[Content_Types].xml" in names and OOXML_PART[ext] in names


def check_file(name: str, data: bytes) -> CheckedFile:
    """Refuses (RuleError, Chinese) a file of a forbidden type, a spoofed type, or too big."""
    shown = clean_name(name)
    if len(data) > max_bytes():
        raise RuleError(f"附件“{shown}”超过大小上限（{max_bytes() // 1024 // 1024} MB）")
    if not data:
        raise RuleError(f"附件“{shown}”是空文件")
    ext = shown.rsplit(".", 1)[-1].lower() if "." in shown else ""
    allowed = allowed_types()
    if ext not in allowed or ext not in MAGIC:
        raise RuleError(f"附件“{shown}”的类型不允许上传，仅限：{'、'.join(allowed)}")
    if not data.startswith(MAGIC[ext]) or (ext in OOXML_PART and not _ooxml_ok(data, ext)):
        raise RuleError(f"附件“{shown}”的内容与扩展名不符，已拒绝")
    return CheckedFile(shown, ext, CONTENT_TYPES[ext], data, hashlib.sha256(data).hexdigest())


def read_uploads(files: list[Any]) -> list[CheckedFile]:
    """Checks every uploaded file before anything is written (all or nothing)."""
    if len(files) > MAX_FILES:
        raise RuleError(f"一次最多上传{MAX_FILES}个附件")
    checked = []
    for f in files:
        if getattr(f, "size", 0) > max_bytes():  # refuse before reading it into memory
            raise RuleError(
                f"附件“{clean_name(f.name)}”超过大小上限（{max_bytes() // 1024 // 1024} MB）"
            )
        checked.append(check_file(f.name, f.read()))
    return checked


def stored_file(checked: CheckedFile) -> ContentFile:
    return ContentFile(checked.data, name=f"{uuid.uuid4().hex}.{checked.ext}")
