"""Attachment checks and storage (TRUST.md G-FU1, FU-01..03, AN-08).

Files are checked against an extension allowlist and their first bytes, a DOCX must be a
real Word document without macros, each file has a size cap, and the number of files is
capped. Accepted files are encrypted (CADRE_EVIDENCE_KEY) and stored through the default
storage under MEDIA_ROOT, which is outside the static root and not served by any URL, under
a generated name; the original name is kept only as sanitised metadata. Staff download them
through a scoped, audited view as an attachment.
"""

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

from cadre.supervision import crypto
from cadre.supervision.rules import RuleError, check_size, safe_filename, sniff_type

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def max_file_bytes() -> int:
    return int(getattr(settings, "CADRE_INTAKE_MAX_FILE_BYTES", 10 * 1024 * 1024))


def max_files() -> int:
    return int(getattr(settings, "CADRE_INTAKE_MAX_FILES", 5))


class CappedUploadHandler(FileUploadHandler):
    """Stops reading a file past the cap (Django itself caps no file size)."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > max_file_bytes():
            self.request._refused_upload = self.file_name  # type: ignore[union-attr]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def install_cap(request: HttpRequest) -> None:
    """Call before touching request.POST/FILES."""
    # Stub gap: ImmutableList (after the upload is read) has insert too, which raises.
    request.upload_handlers.insert(0, CappedUploadHandler(request))  # type: ignore[union-attr]


def body_too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > max_files() * max_file_bytes() + 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    data: bytes


def _check_docx(name: str, data: bytes) -> None:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile as exc:
        raise RuleError(f"附件「{safe_filename(name)}」不是有效的Word文档") from exc
    if "word/document.xml" not in names:
        raise RuleError(f"附件「{safe_filename(name)}」不是有效的Word文档")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise RuleError(f"附件「{safe_filename(name)}」含有宏，已拒绝")


def check_files(request: HttpRequest | None, files: list[Any]) -> list[CheckedFile]:
    """Every file checked before anything is written; the first problem refuses them all."""
    refused = getattr(request, "_refused_upload", None)
    if refused is not None:
        check_size(refused, max_file_bytes() + 1, max_file_bytes())
    if len(files) > max_files():
        raise RuleError(f"附件最多{max_files()}个")
    checked = []
    for f in files:
        check_size(f.name, f.size or 0, max_file_bytes())
        data = f.read(max_file_bytes() + 1)
        check_size(f.name, len(data), max_file_bytes())
        content_type = sniff_type(f.name, data[:16])
        if content_type == DOCX:
            _check_docx(f.name, data)
        checked.append(CheckedFile(safe_filename(f.name), content_type, data))
    return checked


def store(checked: CheckedFile) -> dict[str, Any]:
    """Writes the encrypted file; returns the model fields describing it."""
    stored_name = uuid.uuid4().hex
    token = crypto.encrypt("CADRE_EVIDENCE_KEY", checked.data)
    default_storage.save(f"supervision/{stored_name}", ContentFile(token.encode()))
    return {
        "stored_name": stored_name,
        "original_name": checked.name,
        "content_type": checked.content_type,
        "size": len(checked.data),
        "sha256": hashlib.sha256(checked.data).hexdigest(),
    }


def read(stored_name: str) -> bytes:
    with default_storage.open(f"supervision/{stored_name}") as fh:
        return crypto.decrypt("CADRE_EVIDENCE_KEY", fh.read().decode())
