"""What may be uploaded as evidence: documents and photos only, of a bounded size, whose
contents parse as a whole file of the kind their extension names (a page or a script behind
`%PDF` or `PK` is refused). Each refusal names the file and says what to do."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from yichuang.core.errors import Invalid
from yichuang.core.uploads import CONTENT_TYPES, real_content_type

# The kinds of evidence accepted; each is checked by parsing it (core.uploads), since a page
# or a script can start with any file's leading bytes.
ALLOWED: dict[str, str] = {
    f".{ext}": CONTENT_TYPES[ext]
    for ext in ("pdf", "jpg", "jpeg", "png", "doc", "xls", "docx", "xlsx")
}
MAX_MB = getattr(settings, "CAMPAIGN_EVIDENCE_MAX_MB", 10)
MAX_FILES_PER_UNIT = getattr(settings, "CAMPAIGN_EVIDENCE_MAX_FILES", 100)


@dataclass(frozen=True)
class CheckedFile:
    name: str
    size: int
    content_type: str


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(size // 1024, 1)} KB"


def check_upload(upload) -> CheckedFile:
    name = Path(upload.name or "").name[:200] or "file"
    ext = Path(name).suffix.lower()
    if ext not in ALLOWED:
        raise Invalid(
            _("“%(name)s”的类型不能上传：请上传 PDF、Word、Excel 文件或 JPG、PNG 图片")
            % {"name": name},
            code="file_type",
        )
    size = upload.size or 0
    if size == 0:
        raise Invalid(_("“%(name)s”是空文件，请重新选择") % {"name": name}, code="file_empty")
    if size > MAX_MB * 1024 * 1024:
        raise Invalid(
            _("“%(name)s”有 %(size)s，超过 %(limit)d MB 的上限，请压缩或拆分后再上传")
            % {"name": name, "size": human_size(size), "limit": MAX_MB},
            code="file_too_large",
        )
    content_type = real_content_type(upload, ext)
    if content_type is None:
        raise Invalid(
            _("“%(name)s”的内容与扩展名 %(ext)s 不符，请确认文件未损坏或另存为正确格式")
            % {"name": name, "ext": ext},
            code="file_mismatch",
        )
    return CheckedFile(name=name, size=size, content_type=content_type)
