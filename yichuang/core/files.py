"""Where uploaded and generated files live, and the one way they are handed out.

Two places, never mixed:

- PRIVATE_MEDIA_ROOT (the "private" storage): applicants' materials, campaign evidence, monthly
  reports. Nothing serves this folder; the storage has no URL at all. A file leaves only
  through a view that first finds its row through the owner's scope, then calls `send_file()`,
  which writes the audit record and answers as a download (`Content-Disposition: attachment`,
  `X-Content-Type-Options: nosniff`, not cached).
- MEDIA_ROOT: only what is public by design, staff photos (the staff board) and the sample forms
  of the catalogue (the public notification sheet). `public_media` serves exactly those folders;
  anything else under /media/ is not found, whatever DEBUG says, so a file that strayed into
  MEDIA_ROOT is still not published."""

import mimetypes
import os
import shutil
from pathlib import PurePosixPath
from typing import TypedDict

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.text import get_valid_filename


class PublicFolder(TypedDict):
    inline: bool  # shown in the browser, or downloaded
    types: set[str]  # the file extensions served from it


# Folders of MEDIA_ROOT that are public by design, with how their files are sent.
PUBLIC_MEDIA: dict[str, PublicFolder] = {
    "staff/": {"inline": True, "types": {"jpg", "jpeg", "png", "gif", "webp"}},
    "catalog/samples/": {
        "inline": False,
        "types": {"pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png"},
    },
}
SAFE_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@deconstructible(path="yichuang.core.files.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """A FileSystemStorage under PRIVATE_MEDIA_ROOT that refuses to make a URL."""

    @cached_property
    def base_location(self):
        # As FileSystemStorage.base_location does; the stubs omit its private `_location`.
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)  # type: ignore[attr-defined]

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("A private file has no URL: serve it through a view that checks scope.")


def private_storage():
    """The storage of every private FileField (a callable, so settings decide the backend)."""
    return storages["private"]


def safe_filename(name: str, *, fallback: str = "file") -> str:
    """The name a download is saved under: no folders, quotes or control characters; Chinese
    letters are kept (the header carries them as RFC 5987 `filename*`)."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    try:
        cleaned = get_valid_filename(base)
    except SuspiciousFileOperation:
        cleaned = ""
    if cleaned.startswith("."):
        cleaned = fallback + cleaned  # not a hidden file on the applicant's machine
    return cleaned[:150] or fallback


def send_file(
    request,
    field_file,
    *,
    filename: str,
    content_type: str,
    action: str,
    target,
    summary: str = "",
    data: dict | None = None,
):
    """Answer with a private file as a download and write the access into the audit record.
    The caller has found `target` through its scope: that is the permission check."""
    from .audit import record  # models are loaded after this module (FileFields import it)

    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("file missing") from exc
    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    record(
        action,
        actor=actor,
        target=target,
        summary=summary or filename,
        data={"file": field_file.name, **(data or {})},
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_filename(filename),
        content_type=content_type if content_type in SAFE_TYPES else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


def public_media(request, path):
    """/media/<path>: only the public-by-design folders of MEDIA_ROOT, only files of the types
    expected there, never a listing."""
    name = PurePosixPath(path)
    if ".." in name.parts or name.is_absolute():
        raise Http404
    folder = next((f for f in PUBLIC_MEDIA if path.startswith(f)), None)
    ext = name.suffix.lower().lstrip(".")
    if folder is None or ext not in PUBLIC_MEDIA[folder]["types"]:
        raise Http404
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, IsADirectoryError, SuspiciousFileOperation) as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(name.name)[0] or "application/octet-stream"
    response = FileResponse(
        handle,
        as_attachment=not PUBLIC_MEDIA[folder]["inline"],
        filename=safe_filename(name.name),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def move_to_private(model, *fields: str) -> None:
    """For data migrations: move the files of `fields` of every row of `model` from MEDIA_ROOT
    (where they were kept before the private storage) to PRIVATE_MEDIA_ROOT. Idempotent: a file
    already moved, or missing, is left alone."""
    public_root = os.path.abspath(settings.MEDIA_ROOT)
    private_root = os.path.abspath(settings.PRIVATE_MEDIA_ROOT)
    if public_root == private_root:
        return
    for values in model.objects.values_list(*fields):
        for name in values:
            if not name:
                continue
            source = os.path.join(public_root, name)
            target = os.path.join(private_root, name)
            if os.path.isfile(source) and not os.path.exists(target):
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.move(source, target)
