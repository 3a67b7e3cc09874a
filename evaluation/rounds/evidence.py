"""Evidence attachments: a document or an image, decided by the bytes, never by the name.

Accepted: PDF; JPEG, PNG, WebP images (tracking's certificate sniffer, which also refuses
decompression bombs); Office documents (.docx, .xlsx, .pptx) whose zip holds the part of their
kind, after the library's zip-bomb checks. Anything else — an executable renamed .pdf, a text
file, an archive — is refused with a Chinese message before it is stored.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

from resources.documents import OFFICE_PARTS
from resources.extract import ExtractionError, check_zip
from tracking.ledger.forms import CertificateTooLarge, sniff_certificate

MAX_BYTES = getattr(settings, "EVALUATION_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
OFFICE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def _office_type(data: bytes) -> str | None:
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        check_zip(data)
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = archive.namelist()
    except (ExtractionError, zipfile.BadZipFile):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for kind, prefix in OFFICE_PARTS.items():
        if any(n.startswith(prefix) for n in names):
            return OFFICE_TYPES[kind]
    return None


def sniff(data: bytes) -> str | None:
    """The content type of an evidence file by its content, or None when it is neither a
    document nor an image. Raises CertificateTooLarge for an image with too many pixels."""
    return sniff_certificate(data) or _office_type(data)


def check(upload) -> str:
    """Validate an uploaded evidence file; return its content type or raise ValidationError."""
    if upload.size > MAX_BYTES:
        raise forms.ValidationError(
            _("The evidence file is too large (limit %(mb)s MB).") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    try:
        content_type = sniff(upload.read())
    except CertificateTooLarge:
        raise forms.ValidationError(_("The image has too many pixels. Please send a smaller photo or scan.")) from None
    finally:
        upload.seek(0)
    if content_type is None:
        raise forms.ValidationError(
            _(
                "The evidence must be a document (PDF, Word, Excel, PowerPoint) or an image (JPEG, PNG, WebP); "
                "this file's content is neither."
            )
        )
    return content_type
