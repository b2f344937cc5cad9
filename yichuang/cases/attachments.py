"""Uploaded materials: checked all together before anything is written, stored in the same
transaction as the case, and removed from disk again if that transaction does not commit."""

from contextlib import contextmanager

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from yichuang.core.errors import Invalid

from .models import Attachment

MAX_BYTES = 10 * 1024 * 1024
ALLOWED = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MAGIC = {
    "pdf": b"%PDF",
    "jpg": b"\xff\xd8",
    "jpeg": b"\xff\xd8",
    "png": b"\x89PNG",
    "doc": b"\xd0\xcf\x11\xe0",
    "docx": b"PK",
}


def check_uploads(uploads: dict[int, list], known_ids: set[int]) -> None:
    """Every file of every material, before anything is saved: type by extension and content,
    size, and that the material belongs to the service."""
    problems = []
    for material_id, files in uploads.items():
        if material_id not in known_ids:
            problems.append(_("材料编号 %(id)s 不属于该事项") % {"id": material_id})
            continue
        for f in files:
            ext = f.name.rsplit(".", 1)[-1].lower() if "." in f.name else ""
            if ext not in ALLOWED:
                problems.append(
                    _("“%(name)s”的格式不支持，请上传 PDF、JPG、PNG 或 Word 文件")
                    % {"name": f.name}
                )
            elif f.size > MAX_BYTES:
                problems.append(_("“%(name)s”超过 10 MB，请压缩后再上传") % {"name": f.name})
            elif f.size == 0:
                problems.append(_("“%(name)s”是空文件") % {"name": f.name})
            else:
                head = f.read(8)
                f.seek(0)
                if not head.startswith(MAGIC[ext]):
                    problems.append(_("“%(name)s”的内容与扩展名不符") % {"name": f.name})
    if problems:
        raise Invalid("；".join(problems), code="invalid_upload", fields={"files": problems})


def store_uploads(case, uploads: dict[int, list], written: list[str]) -> list[Attachment]:
    """Call inside the case's transaction, after check_uploads; `written` collects the stored
    file names so the caller can remove them if the transaction does not commit."""
    saved = []
    for material_id, files in uploads.items():
        for f in files:
            ext = f.name.rsplit(".", 1)[-1].lower()
            attachment = Attachment(
                case=case,
                material_id=material_id,
                original_name=f.name[:200],
                content_type=ALLOWED[ext],
                size=f.size,
            )
            attachment.file.save(f.name, f, save=False)
            written.append(attachment.file.name)
            attachment.save()
            saved.append(attachment)
    return saved


@contextmanager
def files_removed_on_failure():
    """Files reach the disk before the rows commit; if anything fails, no orphan stays."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
