"""Uploaded materials: checked all together before anything is written, stored in the same
transaction as the case, and removed from disk again if that transaction does not commit.

A file is accepted only if it parses as a whole file of the kind its extension names
(core.uploads: pypdf, Pillow, the OOXML package, OLE2); its first bytes alone prove nothing.
A case holds at most UPLOAD_MAX_FILES_PER_CASE files, counted under the case's row lock."""

from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from yichuang.core.errors import Invalid
from yichuang.core.files import private_storage
from yichuang.core.uploads import CONTENT_TYPES, extension_of, real_content_type

from .models import Attachment, Case, CaseMaterial

MAX_BYTES = 10 * 1024 * 1024
ALLOWED = {ext: CONTENT_TYPES[ext] for ext in ("pdf", "jpg", "jpeg", "png", "doc", "docx")}


def max_files_per_case() -> int:
    return int(getattr(settings, "UPLOAD_MAX_FILES_PER_CASE", 30))


def too_many_files(count: int) -> Invalid:
    return Invalid(
        _("每件申请最多上传 %(n)d 个文件（本次提交后将有 %(count)d 个），请合并后再上传")
        % {"n": max_files_per_case(), "count": count},
        code="too_many_files",
    )


def check_uploads(uploads: dict[int, list], known_ids: set[int]) -> None:
    """Every file of every material, before anything is saved: type by extension and by
    content, size, the number of files, and that the material belongs to the service."""
    problems = []
    count = sum(len(files) for files in uploads.values())
    if count > max_files_per_case():
        raise too_many_files(count)
    for material_id, files in uploads.items():
        if material_id not in known_ids:
            problems.append(_("材料编号 %(id)s 不属于该事项") % {"id": material_id})
            continue
        for f in files:
            ext = extension_of(f.name)
            if ext not in ALLOWED:
                problems.append(
                    _("“%(name)s”的格式不支持，请上传 PDF、JPG、PNG 或 Word 文件")
                    % {"name": f.name}
                )
            elif f.size > MAX_BYTES:
                problems.append(_("“%(name)s”超过 10 MB，请压缩后再上传") % {"name": f.name})
            elif f.size == 0:
                problems.append(_("“%(name)s”是空文件") % {"name": f.name})
            elif real_content_type(f, ext) is None:
                problems.append(
                    _("“%(name)s”的内容与扩展名不符或已损坏，请重新导出或扫描后再上传")
                    % {"name": f.name}
                )
    if problems:
        raise Invalid("；".join(problems), code="invalid_upload", fields={"files": problems})


def store_uploads(case, uploads: dict[int, list], written: list[str]) -> list[Attachment]:
    """Call inside the case's transaction, after check_uploads; `written` collects the stored
    file names so the caller can remove them if the transaction does not commit."""
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").first()
    count = Attachment.objects.filter(case=case).count() + sum(len(f) for f in uploads.values())
    if count > max_files_per_case():
        raise too_many_files(count)
    saved = []
    for material_id, files in uploads.items():
        for f in files:
            attachment = Attachment(
                case=case,
                material_id=material_id,
                original_name=f.name[:200],
                content_type=ALLOWED[extension_of(f.name)],
                size=f.size,
            )
            attachment.file.save(f.name, f, save=False)
            assert attachment.file.name  # the storage's name, set by the save
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
            private_storage().delete(name)
        raise


def listed(case) -> list[Attachment]:
    """A case's uploads for a page, each with the name of the material it was uploaded for.

    One hand-written statement: the applicant's progress page (the page the public reload
    most) shows them, and building the ORM's two queries cost five times their run."""
    qn = connection.ops.quote_name
    sql = (
        "SELECT a.id, a.case_id, a.material_id, a.original_name, a.size, a.uploaded_at,"
        " COALESCE(m.name, '') AS material_name"
        f" FROM {qn(Attachment._meta.db_table)} a"
        f" LEFT JOIN {qn(CaseMaterial._meta.db_table)} m"
        "  ON m.case_id = a.case_id AND m.material_id = a.material_id"
        " WHERE a.case_id = %s ORDER BY a.uploaded_at, a.id"
    )
    return list(Attachment.objects.raw(sql, [case.pk]))


def public_attachment(case, pk: int) -> Attachment | None:
    """An upload of `case`, which the caller found through core's public-lookup guard (number
    and query code); None when the upload is not of that case."""
    return (
        Attachment.objects.filter(case=case, pk=pk)
        .only("pk", "file", "original_name", "content_type", "case")
        .first()
    )
