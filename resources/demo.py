"""Demo library: the 资源库 section page becomes a ResourceIndexPage holding 56 resources, each with
small real files (docx / pptx written here, a PDF where a CJK font is installed, a short video),
a few downloads by the demo psychology teacher and one lesson logged with a library plan.

Keyed on slugs and titles: a second run adds nothing. Runs after courses.demo (pages) and before
the index rebuild at its end, so search answers as soon as `make run` starts.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypinyin import lazy_pinyin

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.text import slugify

from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, Site

from accounts.models import School, User
from search import services as search_services

from . import services
from .choices import GradeBand, LessonKind, ResourceType
from .demo_specs import AUTHORS, RESOURCES, STEPS
from .models import ResourceAttachment, ResourceIndexPage, ResourcePage, ResourceTopic
from .wagtail_hooks import LIBRARY_COLLECTION

INTRO = (
    "<p>心理健康活动课教案、课件、学案与主题班团队会方案，按学段、主题和资源类型整理。"
    "摘要向所有人开放；登录的专兼职心理健康教师、班主任和管理员可以下载文件。</p>"
)
FONT_CANDIDATES = [
    Path(settings.BASE_DIR) / "node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf",
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
]
VIDEO = Path(settings.BASE_DIR) / "courses/demo_media/calm-breathing.mp4"
# Demo downloads by t_psy (titles), and the plan of one logged lesson.
TEACHER_DOWNLOADS = ["认识我的情绪小怪兽", "情绪温度计：我会调节坏心情", "我的朋友圈：学会交朋友", "独一无二的我"]


def _slug(title: str) -> str:
    return slugify(" ".join(lazy_pinyin(title)))[:80] or "resource"


def _collection() -> Collection:
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=LIBRARY_COLLECTION).first() or root.add_child(name=LIBRARY_COLLECTION)


def _index(home: Page) -> ResourceIndexPage:
    existing = Page.objects.child_of(home).filter(slug="resources").first()
    if existing is not None:
        if isinstance(existing.specific, ResourceIndexPage):
            return existing.specific
        existing.delete()  # the placeholder section page from cms.home.demo
        home.refresh_from_db()
    index = ResourceIndexPage(title="资源库", slug="resources", introduction=INTRO, show_in_menus=True)
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def _lines(title: str, summary: str, type_label: str, bands: list[str]) -> list[str]:
    return [
        f"{title}（{type_label}）",
        f"适用学段：{'、'.join(bands)}",
        f"设计意图：{summary}",
        "活动目标：认知目标、情感目标、行为目标各一条，贴合学生的年龄特点。",
        *(f"{n}. {step}" for n, step in enumerate(STEPS, start=1)),
        "注意事项：活动中不记录学生姓名，不公开学生个人心理信息；发现异常情况及时与心理健康教师沟通。",
        "心理援助热线：12355、966525、0791-88330120（24小时）。",
    ]


def _docx(lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(lines[0], level=1)
    for line in lines[1:]:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pptx(lines: list[str]) -> bytes:
    import pptx

    presentation = pptx.Presentation()
    title_slide = presentation.slides.add_slide(presentation.slide_layouts[0])
    title_slide.shapes.title.text = lines[0]
    title_slide.placeholders[1].text = lines[1]
    for chunk_start in range(2, len(lines), 3):
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = lines[0].split("（")[0]
        slide.placeholders[1].text = "\n".join(lines[chunk_start : chunk_start + 3])
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def _font() -> str | None:
    for candidate in FONT_CANDIDATES:
        if candidate.exists():
            return str(candidate)
    return None


def _pdf(lines: list[str], font: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("cjk", "", font, collection_font_number=0) if font.endswith(".ttc") else pdf.add_font("cjk", "", font)
    pdf.set_font("cjk", size=16)
    pdf.multi_cell(0, 10, lines[0], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    for line in lines[1:]:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _files(n: int, title: str, kind: str, lines: list[str], font: str | None) -> list[tuple[str, bytes]]:
    base = f"resource-{n:02d}"
    if kind in ("slides", "interactive", "micro_lesson"):
        files = [(f"{base}.pptx", _pptx(lines))]
    else:
        files = [(f"{base}.docx", _docx(lines))]
    if kind in ("video", "micro_lesson") and VIDEO.exists():
        files.append((f"{base}.mp4", VIDEO.read_bytes()))
    if font and (kind == "activity_plan" or n % 5 == 0):
        files.append((f"{base}.pdf", _pdf(lines, font)))
    return files


def _resource(index: ResourceIndexPage, n: int, spec: tuple, topics: dict, schools: dict, font) -> ResourcePage:
    title, kind, bands, topic_slugs, lesson_kind, featured, summary = spec
    slug = _slug(title)
    existing = ResourcePage.objects.child_of(index).filter(slug=slug).first()
    if existing is not None:
        return existing
    author, school_code = AUTHORS[n % len(AUTHORS)]
    band_labels = [str(dict(GradeBand.choices)[b]) for b in bands]
    lines = _lines(title, summary, str(dict(ResourceType.choices)[kind]), band_labels)
    page = ResourcePage(
        title=title,
        slug=slug,
        summary=summary,
        body="".join(f"<p>{line}</p>" for line in lines[3:]),
        grade_bands=bands,
        resource_type=kind,
        lesson_kind=lesson_kind if lesson_kind in LessonKind.values else "",
        author=author,
        school=schools.get(school_code),
        featured=featured,
    )
    Document = get_document_model()
    for position, (name, content) in enumerate(_files(n, title, kind, lines, font)):
        document = Document.objects.create(
            title=f"{title}（{name.rsplit('.', 1)[1]}）", file=ContentFile(content, name=name), collection=_collection()
        )
        page.attachments.add(ResourceAttachment(document=document, sort_order=position))
    page.topics = [topics[s] for s in topic_slugs if s in topics]
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def load() -> str:
    site = Site.objects.get(is_default_site=True)
    home = site.root_page
    index = _index(home)
    topics = {t.slug: t for t in ResourceTopic.objects.all()}
    schools = {s.code: s for s in School.objects.filter(code__in=[c for _a, c in AUTHORS if c])}
    font = _font()
    before = ResourcePage.objects.count()
    pages = [_resource(index, n, spec, topics, schools, font) for n, spec in enumerate(RESOURCES, start=1)]
    created = ResourcePage.objects.count() - before

    teacher = User.objects.filter(username="t_psy").first()
    if teacher is not None and not teacher.resource_downloads.exists():
        by_title = {p.title: p for p in pages}
        for title in TEACHER_DOWNLOADS:
            attachment = by_title[title].attachments.first()
            if attachment is not None:
                services.record_download(teacher, attachment)
    indexed = search_services.rebuild()
    return f"{created} new resources ({len(pages)} in the library), {indexed} documents in the search index"
