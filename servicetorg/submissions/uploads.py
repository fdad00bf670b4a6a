"""Check an uploaded file before it is stored: size, name, and the type told by its content."""

import hashlib
import io
import logging
import re
import unicodedata
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from servicetorg.catalog.fieldtypes import ACCEPT_MIME, max_size_mb

log = logging.getLogger("servicetorg.uploads")
KIND_BY_MIME = {mime: kind for kind, mime in ACCEPT_MIME.items()}
# Decompression bombs: refuse images larger than this many pixels.
Image.MAX_IMAGE_PIXELS = 50_000_000


@dataclass
class CheckedFile:
    name: str
    content_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def check_upload(upload: UploadedFile, field: dict) -> CheckedFile:
    """Return the file ready to store, or refuse it with a message for the person."""
    name = clean_name(upload.name or "")
    limit = max_size_mb(field) * 1024 * 1024
    if upload.size is None or upload.size == 0:
        raise refuse("empty", _("The file %(name)s is empty.") % {"name": name})
    if upload.size > limit:
        raise refuse(
            "too-large",
            _("The file %(name)s is larger than %(mb)d MB.")
            % {"name": name, "mb": max_size_mb(field)},
        )
    content = upload.read()
    mime = detected_type(content)
    allowed = {ACCEPT_MIME[k] for k in field.get("accept", list(ACCEPT_MIME))}
    if mime not in allowed:
        kinds = ", ".join(k.upper() for k in field.get("accept", list(ACCEPT_MIME)))
        raise refuse(
            "type",
            _("The file %(name)s is not of an allowed type (%(kinds)s).")
            % {"name": name, "kinds": kinds},
        )
    if mime.startswith("image/"):
        content = reencode_image(content, mime, name)
    name = with_extension(name, KIND_BY_MIME[mime])
    return CheckedFile(name=name, content_type=mime, content=content)


def refuse(reason: str, message: str) -> ValidationError:
    log.warning("upload refused reason=%s", reason)
    return ValidationError(message)


def clean_name(raw: str) -> str:
    """Keep only the last path part, and only safe characters."""
    base = re.split(r"[\\/]", raw)[-1]
    base = unicodedata.normalize("NFC", base)
    base = re.sub(r"[^\w.\- ]", "_", base).strip(" .")
    return (base or "vedlegg")[:120]


def with_extension(name: str, kind: str) -> str:
    extension = {"jpeg": "jpg"}.get(kind, kind)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem or 'vedlegg'}.{extension}"


def detected_type(content: bytes) -> str | None:
    kind = filetype.guess(content[:8192])
    if kind is None:
        return None
    if kind.mime == "application/pdf" and b"%%EOF" not in content[-2048:]:
        return None
    return kind.mime


def reencode_image(content: bytes, mime: str, name: str) -> bytes:
    """Decode and encode again: drops location and other metadata, and anything hidden."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            clean = image.convert("RGB") if mime == "image/jpeg" else image.copy()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise refuse(
            "broken-image", _("The file %(name)s could not be read as an image.") % {"name": name}
        ) from None
    clean.info.clear()  # comments and other text chunks would be written back
    out = io.BytesIO()
    clean.save(out, format="JPEG" if mime == "image/jpeg" else "PNG", quality=88)
    return out.getvalue()
