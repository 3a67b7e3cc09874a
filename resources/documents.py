"""Every document upload (Wagtail's document form base): size per type, and the content must be
what the name says — a .pdf that is not a PDF, or a .docx that is not an Office file, is refused
with a Chinese message before it is stored. Settings: WAGTAILDOCS_DOCUMENT_FORM_BASE."""

from __future__ import annotations

import zipfile

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from wagtail.documents.forms import BaseDocumentForm

from . import limits
from .extract import ExtractionError, check_zip

# The first bytes each type starts with; Office files are zips holding a part of their own kind.
OFFICE_PARTS = {"docx": "word/", "pptx": "ppt/", "xlsx": "xl/"}


def check_upload(uploaded) -> None:
    name = getattr(uploaded, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    limit = limits.MAX_SIZE.get(extension, limits.DEFAULT_MAX_SIZE)
    if uploaded.size > limit:
        raise forms.ValidationError(
            _("“%(name)s” is %(size)s; files of this type may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}
        )
    head = uploaded.read(8)
    uploaded.seek(0)
    if extension == "pdf" and not head.startswith(b"%PDF-"):
        raise forms.ValidationError(_("“%(name)s” is not a PDF file.") % {"name": name})
    if extension == "mp4" and head[4:8] != b"ftyp":
        raise forms.ValidationError(_("“%(name)s” is not an MP4 video.") % {"name": name})
    if extension in OFFICE_PARTS:
        data = uploaded.read(limit + 1)
        uploaded.seek(0)
        try:
            check_zip(data)
            with zipfile.ZipFile(uploaded) as archive:
                names = archive.namelist()
        except (ExtractionError, zipfile.BadZipFile) as error:
            raise forms.ValidationError(
                _("“%(name)s” is not a valid %(type)s file: %(reason)s")
                % {"name": name, "type": extension, "reason": str(error) or _("damaged")}
            )
        finally:
            uploaded.seek(0)
        if not any(n.startswith(OFFICE_PARTS[extension]) for n in names):
            raise forms.ValidationError(
                _("“%(name)s” is not a valid %(type)s file: %(reason)s")
                % {"name": name, "type": extension, "reason": _("its content is of another kind")}
            )


class SafeDocumentForm(BaseDocumentForm):
    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded is not None and hasattr(uploaded, "size") and hasattr(uploaded, "read"):
            check_upload(uploaded)
        return uploaded
