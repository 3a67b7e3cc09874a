"""Certificate PDF and PNG preview, rendered from the Certificate row (nothing stored in public media).

Chinese text needs an embedded CJK font. We use Noto Sans SC (SIL Open Font License),
installed from npm with the other front-end packages (`make install`), so every machine
has it; WenQuanYi Zen Hei from Debian's `fonts-wqy-zenhei` is the fallback. Set
`CERTIFICATE_FONT` to use another TTF/TTC/OTF file.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from django.conf import settings
from django.utils.formats import date_format

# fontTools logs every subsetting step at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_CANDIDATES = [
    str(Path(settings.BASE_DIR) / "node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf"),
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]


class FontMissing(RuntimeError):
    pass


def font_path() -> Path:
    configured = getattr(settings, "CERTIFICATE_FONT", "")
    for candidate in [configured, *FONT_CANDIDATES]:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise FontMissing("No CJK font found: install fonts-wqy-zenhei or set CERTIFICATE_FONT.")


def certificate_lines(cert) -> list[tuple[str, float]]:
    """(text, font size) lines printed on the certificate, top to bottom. Shared with the test."""
    hours = f"{cert.hours.normalize():f}" if cert.hours == cert.hours.to_integral() else f"{cert.hours}"
    who = f"{cert.school_name}  {cert.learner_name}" if cert.school_name else cert.learner_name
    year = f"{cert.training_year}年度" if cert.training_year else ""
    return [
        ("培训合格证书", 30),
        (who, 20),
        (f"完成{year}心理健康教育专题培训课程《{cert.course_title}》", 14),
        (f"计 {hours} 学时，经考核合格，特发此证。", 14),
        (f"发证单位：{cert.issuer}" if cert.issuer else "", 12),
        (f"完成日期：{date_format(cert.completed_on, 'Y年n月j日')}    验证码：{cert.code}", 12),
    ]


def qr_image(url: str):
    import qrcode

    qr = qrcode.QRCode(border=1, box_size=8, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(url)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image()


def render_pdf(cert, verify_url: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_margin(0)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.add_font("cjk", "", str(font_path()), collection_font_number=0)
    pdf.set_title(f"培训合格证书 {cert.code}")
    # Frame
    pdf.set_draw_color(31, 111, 92)
    pdf.set_line_width(2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_line_width(0.5)
    pdf.rect(15, 15, 267, 180)
    y = 40
    for text, size in certificate_lines(cert):
        if not text:
            continue
        pdf.set_font("cjk", size=size)
        pdf.set_text_color(31, 111, 92) if size >= 30 else pdf.set_text_color(30, 39, 37)
        pdf.set_xy(20, y)
        pdf.multi_cell(257, size * 0.6, text, align="C")  # long course titles wrap
        y = pdf.get_y() + 10
    pdf.image(qr_image(verify_url), x=237, y=150, w=35, h=35)
    pdf.set_font("cjk", size=8)
    pdf.set_xy(212, 186)
    pdf.cell(70, 5, "扫码验证证书真伪", align="C")
    pdf.set_font("cjk", size=12)
    pdf.set_xy(30, 170)
    pdf.cell(150, 8, getattr(settings, "WAGTAIL_SITE_NAME", "心育研修平台"), align="L")
    return bytes(pdf.output())


def render_png(pdf_bytes: bytes, scale: float = 1.5) -> bytes:
    """A preview image of the first page (rasterised from the PDF, so both always match)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf_bytes)
    try:
        image = doc[0].render(scale=scale).to_pil()
    finally:
        doc.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
