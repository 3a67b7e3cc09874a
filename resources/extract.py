"""Text out of .docx, .pptx, .pdf and .xlsx files, for search — without trusting the file.

An Office file is a zip: before a parser opens it, its entries are counted and their declared
sizes and compression ratios checked (zip bombs); a PDF is read at most MAX_PDF_PAGES pages;
the text kept is capped. A file that fails any check, or that its parser cannot read, gives
`ExtractionError` with a Chinese message for the editor — never an exception up the stack.
"""

from __future__ import annotations

import io
import zipfile
from typing import BinaryIO

from django.utils.translation import gettext as _

from . import limits


class ExtractionError(Exception):
    pass


def check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ExtractionError(_("The file is damaged or not an Office document."))
    entries = archive.infolist()
    if len(entries) > limits.MAX_ZIP_ENTRIES:
        raise ExtractionError(_("The file has too many parts to be read."))
    total = 0
    for entry in entries:
        total += entry.file_size
        if (
            entry.compress_size
            and entry.file_size / entry.compress_size > limits.MAX_ZIP_RATIO
            and entry.file_size > 1_000_000
        ):
            raise ExtractionError(_("The file unpacks to far more than its size: refused."))
    if total > limits.MAX_ZIP_UNCOMPRESSED:
        raise ExtractionError(_("The file unpacks to far more than its size: refused."))


def _cap(parts: list[str]) -> str:
    text = "\n".join(p.strip() for p in parts if p and p.strip())
    return text[: limits.MAX_TEXT_CHARS]


def _docx(data: bytes) -> str:
    import docx  # python-docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return _cap(parts)


def _pptx(data: bytes) -> str:
    import pptx  # python-pptx

    presentation = pptx.Presentation(io.BytesIO(data))
    parts = []
    for slide in presentation.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return _cap(parts)


def _xlsx(data: bytes) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts, cells = [], 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            parts.append(" ".join(str(v) for v in row if v is not None))
            cells += len(row)
            if cells > 200_000:
                break
    workbook.close()
    return _cap(parts)


def _pdf(data: bytes) -> str:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        raise ExtractionError(_("The PDF is damaged or protected by a password."))
    parts = []
    try:
        for index in range(min(len(pdf), limits.MAX_PDF_PAGES)):
            page = pdf[index]
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
            if sum(len(p) for p in parts) > limits.MAX_TEXT_CHARS:
                break
    finally:
        pdf.close()
    return _cap(parts)


READERS = {"docx": _docx, "pptx": _pptx, "xlsx": _xlsx, "pdf": _pdf}


def extract_text(file: BinaryIO, extension: str) -> str:
    """The file's text ('' for types without text, such as video)."""
    extension = extension.lower().lstrip(".")
    reader = READERS.get(extension)
    if reader is None:
        return ""
    limit = limits.MAX_SIZE.get(extension, limits.DEFAULT_MAX_SIZE)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ExtractionError(_("The file is larger than the library accepts."))
    if extension in ("docx", "pptx", "xlsx"):
        check_zip(data)
    try:
        return reader(data)
    except ExtractionError:
        raise
    except Exception:  # a parser's own error on a malformed file: report it, never crash indexing
        raise ExtractionError(_("The file could not be read; is it a valid %(type)s file?") % {"type": extension})
