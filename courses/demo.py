"""Demo courses: a 40-hour track for psychology teachers, a 10-hour head-teacher course, a
one-session course for all teachers and a parent-school course, each with lessons and a quiz.

Replaces the placeholder `training` (and `parents`) section pages with course catalogues.
Idempotent: pages are keyed on slugs, quizzes on titles, learners' progress goes through
the same services as the site (which never complete or credit twice).
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from accounts.models import TeacherProfile, TrainingYear, User

from . import services
from .h5p import storage as h5p_storage
from .models import (
    CourseIndexPage,
    CoursePage,
    Enrolment,
    H5PContent,
    LessonPage,
    LessonProgress,
    Quiz,
    QuizAttempt,
    QuizQuestion,
)

ALL_TEACHERS = ["psy_full", "psy_part", "head", "other"]

QUIZZES = {
    "危机识别与干预 课程测验": [
        (
            "发现学生流露出轻生念头时，教师首先应当：",
            "single",
            ["答应学生保密，不告诉任何人", "*保持陪伴，确保学生安全，并立即按学校预案报告", "让学生自己冷静一下再说"],
        ),
        (
            "以下哪些属于学生心理危机的常见预警信号？",
            "multiple",
            ["*情绪持续低落、兴趣明显减退", "*谈论死亡或交代后事", "*突然赠送心爱物品", "按时完成作业"],
        ),
        (
            "学校心理危机干预强调“校内—家庭—医院”协同，其中转介到医疗机构的依据是：",
            "single",
            ["学生考试成绩下降", "家长要求换班", "*经评估存在较高风险或疑似精神障碍"],
        ),
    ],
    "班主任心理健康教育能力 课程测验": [
        (
            "谈心谈话时，班主任最重要的态度是：",
            "single",
            ["先批评再安慰", "*尊重、倾听、共情，不急于评判", "尽快给出结论"],
        ),
        (
            "指导家长开展家庭教育时，可以建议：",
            "multiple",
            ["*关注孩子情绪变化，多陪伴多沟通", "*与学校保持联系，共同关注孩子成长", "只关心分数"],
        ),
    ],
    "全员专项培训 课程测验": [
        ("24小时心理援助热线包括以下哪个号码？", "single", ["12345", "*12355", "10086"]),
        (
            "教师发现学生心理困扰后，正确的做法是：",
            "single",
            ["在班上公开点名讨论", "不予理会", "*及时关注并告知心理健康教师或班主任"],
        ),
    ],
    "幼小衔接 家长小测验": [
        (
            "孩子入学初期出现紧张、哭闹，家长比较合适的做法是：",
            "single",
            ["*接纳孩子的情绪，耐心倾听并鼓励", "严厉批评孩子胆小", "答应孩子不去上学"],
        ),
    ],
}

P = "paragraph"
MEDIA_DIR = Path(__file__).resolve().parent / "demo_media"

PARENT_QUIZZES = {
    "屏幕时间 家长小测验": [
        (
            "与孩子约定使用手机的规则，较好的做法是：",
            "single",
            ["家长单方面没收手机", "*和孩子一起商量时长与场景，家长以身作则", "完全不管"],
        ),
    ],
    "青春期 家长小测验": [
        (
            "青春期孩子情绪起伏大、更在意同伴评价，家长应当：",
            "single",
            ["严厉批评，要求服从", "*理解这是发展特点，多倾听、少说教", "不闻不问"],
        ),
    ],
    "考试压力 家长小测验": [
        (
            "以下哪些有助于孩子缓解考试焦虑？",
            "multiple",
            ["*保证规律作息和适度运动", "*关注努力过程而非只看分数", "反复强调考砸的后果"],
        ),
    ],
    "预警信号 家长小测验": [
        (
            "孩子持续两周以上情绪低落、失眠、不愿上学时，家长应当：",
            "single",
            ["再观察一学期", "*及时与班主任、心理教师沟通，必要时到精神专科或心理门诊就医", "批评孩子意志薄弱"],
        ),
    ],
}
QUIZZES.update(PARENT_QUIZZES)


def _p(*paras: str) -> list:
    return [(P, "".join(f"<p>{t}</p>" for t in paras))]


COURSES = [
    {
        "slug": "crisis-intervention-track",
        "title": "心理危机识别与干预：专职心理健康教师40学时专题研修",
        "summary": "系统掌握学生心理危机的早期识别、风险评估、分级转介与现场处置，建立“校内—家庭—医院”协同机制。",
        "topic": "crisis",
        "teacher_categories": ["psy_full", "psy_part"],
        "credit_hours": Decimal("40"),
        "compulsory": True,
        "quiz": "危机识别与干预 课程测验",
        "outline": "<ol><li>心理危机的概念与常见信号</li><li>危机评估与分级转介</li><li>现场处置与事后支持</li>"
        "<li>课程测验</li></ol>",
        "lessons": [
            (
                "第一讲 心理危机的概念与常见信号",
                _p(
                    "心理危机是个体在遭遇重大事件或持续压力时，原有应对方式失效而出现的失衡状态。",
                    "常见信号包括：情绪持续低落、睡眠和饮食明显改变、社交退缩、学业突然下滑、谈论死亡等。",
                ),
            ),
            (
                "第二讲 危机评估与分级转介",
                _p(
                    "评估关注风险因素与保护因素；按风险高低分级处置，高风险个案须在确保安全的前提下及时转介专业医疗机构。",
                    "转介过程中做好家校沟通与记录，注意保护学生隐私。",
                ),
            ),
            (
                "第三讲 危机干预的现场处置与事后支持",
                _p(
                    "现场处置以安全为第一原则：陪伴、隔离危险物品、及时报告并联系家长。",
                    "事后为相关师生提供团体辅导与个别支持，持续跟踪复学适应情况。",
                ),
            ),
            ("第四讲 课程测验", [("quiz", "危机识别与干预 课程测验")]),
        ],
    },
    {
        "slug": "head-teacher-mental-health",
        "title": "班主任心理健康教育能力提升：情绪识别与疏导、谈心谈话、家庭教育指导",
        "summary": "面向班主任等思政教育骨干教师的10学时课程："
        "识别学生情绪、开展谈心谈话、指导家庭教育、组织主题班团队会。",
        "topic": "emotion",
        "teacher_categories": ["head", "psy_part"],
        "credit_hours": Decimal("10"),
        "compulsory": True,
        "quiz": "班主任心理健康教育能力 课程测验",
        "outline": "<ul><li>情绪识别与疏导</li><li>谈心谈话的方法</li><li>家庭教育指导与主题班团队会</li></ul>",
        "lessons": [
            (
                "第一讲 情绪识别与疏导",
                _p("从表情、言语、行为和学习状态的变化中识别学生情绪；用接纳、命名、引导三步帮助学生疏导情绪。"),
            ),
            (
                "第二讲 谈心谈话的方法",
                _p("谈心谈话要选择安全、私密的环境，先倾听后回应，少说教多共情，必要时约定后续跟进。"),
            ),
            (
                "第三讲 家庭教育指导与主题班团队会",
                _p("通过家长会、家访和家长学校指导家长关注孩子心理健康；每学期组织心理健康主题班团队会。"),
            ),
            ("第四讲 课程测验", [("quiz", "班主任心理健康教育能力 课程测验")]),
        ],
    },
    {
        "slug": "all-teachers-first-step",
        "title": "全员心理健康教育专项培训：识别学生心理困扰的第一步",
        "summary": "面向全体教师的一次专项培训（2学时）：了解学生常见心理困扰，掌握发现、关注、报告的基本做法。",
        "topic": "general",
        "teacher_categories": ALL_TEACHERS,
        "credit_hours": Decimal("2"),
        "compulsory": True,
        "quiz": "全员专项培训 课程测验",
        "outline": "<p>一节阅读课（含视频与检核表）与一次小测验；学习时长累计不少于90分钟（每学时45分钟）。</p>",
        "lessons": [
            (
                "学生常见心理困扰与教师的角色",
                _p(
                    "学习压力、同伴关系、亲子冲突和网络使用是中小学生常见的困扰来源。"
                    "多数困扰是成长中的正常反应，经过倾听、陪伴和适当调整会逐渐缓解；"
                    "少数学生会出现持续两周以上的情绪低落、兴趣减退、睡眠和食欲明显改变，需要更多关注。",
                    "每位教师都是学生心理健康的守护者：发现异常及时关注，及时告知心理健康教师或班主任，"
                    "并提醒学生可拨打24小时心理援助热线12355、966525、0791-88330120。",
                )
                + [
                    ("image", "observe"),
                    (
                        "callout",
                        {
                            "title": "发现—关注—报告",
                            "text": "<ul><li>发现：留意学生情绪、行为和学业的突然变化</li>"
                            "<li>关注：私下、平和地询问，不贴标签、不当众点名</li>"
                            "<li>报告：当天告知心理健康教师或班主任，必要时按学校预案处置</li></ul>",
                            "tone": "important",
                        },
                    ),
                    ("video", "breathing"),
                    (
                        P,
                        "<p>视频中的深呼吸练习可以在课前或考试前带领全班进行：吸气四拍、停两拍、呼气六拍，"
                        "重复三到五次。练习时请学生把注意力放在呼吸上，不评价、不比较。</p>",
                    ),
                    ("attachment", "checklist"),
                ],
            ),
            ("小测验", [("quiz", "全员专项培训 课程测验")]),
        ],
    },
]

PARENT_COURSES = [
    {
        "slug": "kindergarten-to-primary",
        "title": "幼小衔接：帮助孩子适应小学生活",
        "summary": "家长学校必修课：了解幼小衔接期孩子的心理特点，帮助孩子建立规则意识和积极情绪。",
        "topic": "family",
        "parent_age_stages": ["preschool", "primary_lower"],
        "credit_hours": Decimal("1"),
        "compulsory": True,
        "quiz": "幼小衔接 家长小测验",
        "outline": "<p>一节课与一次小测验。</p>",
        "lessons": [
            ("入学适应期的心理特点", _p("入学初期孩子可能出现紧张、依恋、作息不适应等情况，家长的接纳与鼓励最重要。")),
            ("小测验", [("quiz", "幼小衔接 家长小测验")]),
        ],
    },
    {
        "slug": "screen-time-and-talk",
        "title": "屏幕时间与积极沟通：小学中高段家长必修课",
        "summary": "家长学校必修课：帮助孩子合理使用电子产品，用积极沟通代替说教和对抗。",
        "topic": "family",
        "parent_age_stages": ["primary_upper"],
        "credit_hours": Decimal("1"),
        "compulsory": True,
        "quiz": "屏幕时间 家长小测验",
        "outline": "<p>两节课与一次小测验。</p>",
        "lessons": [
            (
                "合理使用电子产品",
                _p(
                    "与孩子一起约定使用时长和场景，家长先放下手机，以身作则。",
                    "用运动、阅读和家庭活动丰富孩子的课余生活。",
                ),
            ),
            ("积极沟通的四个步骤", _p("倾听—共情—描述事实—一起想办法。少问“为什么又”，多说“我注意到”。")),
            ("小测验", [("quiz", "屏幕时间 家长小测验")]),
        ],
    },
    {
        "slug": "adolescence-guide",
        "title": "读懂青春期：初中家长必修课",
        "summary": "家长学校必修课：了解青春期身心变化，接纳孩子的独立需求，维护良好亲子关系。",
        "topic": "family",
        "parent_age_stages": ["junior"],
        "credit_hours": Decimal("1"),
        "compulsory": True,
        "quiz": "青春期 家长小测验",
        "outline": "<p>两节课与一次小测验。</p>",
        "lessons": [
            ("青春期的身心变化", _p("青春期孩子自我意识增强，情绪起伏大，更在意同伴评价，这是正常的发展特点。")),
            ("把孩子当作成长中的伙伴", _p("尊重孩子的隐私和选择，在安全底线上给予自主空间，多倾听、少说教。")),
            ("小测验", [("quiz", "青春期 家长小测验")]),
        ],
    },
    {
        "slug": "exam-stress",
        "title": "陪孩子走过考试季：高中家长必修课",
        "summary": "家长学校必修课：识别考试压力，帮助孩子调整作息和心态，家长先稳住自己的焦虑。",
        "topic": "family",
        "parent_age_stages": ["senior"],
        "credit_hours": Decimal("1"),
        "compulsory": True,
        "quiz": "考试压力 家长小测验",
        "outline": "<p>两节课与一次小测验。</p>",
        "lessons": [
            ("认识考试压力", _p("适度压力有助于发挥，过度焦虑会表现为失眠、食欲下降、注意力难以集中。")),
            ("家长能做什么", _p("保证规律作息和适度运动；关注努力过程而非只看分数；家长先管理好自己的焦虑。")),
            ("小测验", [("quiz", "考试压力 家长小测验")]),
        ],
    },
    {
        "slug": "warning-signs-and-help",
        "title": "识别预警信号，及时寻求专业帮助：中职家长必修课",
        "summary": "家长学校必修课：识别孩子心理危机的预警信号，知道到哪里求助、何时就医。",
        "topic": "family",
        "parent_age_stages": ["vocational"],
        "credit_hours": Decimal("1"),
        "compulsory": True,
        "quiz": "预警信号 家长小测验",
        "outline": "<p>两节课与一次小测验。</p>",
        "lessons": [
            (
                "需要留意的信号",
                _p("情绪持续两周以上低落或易怒、睡眠饮食明显改变、退缩回避、谈论死亡等，都需要认真对待。"),
            ),
            (
                "到哪里求助",
                _p(
                    "先与班主任和学校心理教师沟通；拨打24小时心理援助热线12355、966525、0791-88330120；必要时到精神专科医院或综合医院心理门诊就医。"
                ),
            ),
            ("小测验", [("quiz", "预警信号 家长小测验")]),
        ],
    },
]


def _collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name="演示素材").first()
    return existing or root.add_child(name="演示素材")


def _observe_image():
    """A calm illustration drawn with Pillow: a classroom window, a teacher and a pupil (no text)."""
    Image = get_image_model()
    existing = Image.objects.filter(title="课堂观察示意图").first()
    if existing is not None:
        return existing
    from PIL import Image as PILImage
    from PIL import ImageDraw

    canvas = PILImage.new("RGB", (960, 480), (246, 248, 247))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 360, 960, 480), fill=(227, 235, 232))
    draw.rectangle((600, 60, 880, 260), fill=(168, 213, 200), outline=(31, 111, 92), width=6)
    draw.line((740, 60, 740, 260), fill=(31, 111, 92), width=6)
    draw.ellipse((180, 120, 260, 200), fill=(232, 163, 61))  # the teacher
    draw.rounded_rectangle((160, 200, 280, 380), radius=30, fill=(31, 111, 92))
    draw.ellipse((390, 200, 450, 260), fill=(243, 233, 210))  # the pupil
    draw.rounded_rectangle((375, 260, 465, 380), radius=24, fill=(47, 143, 119))
    draw.arc((270, 150, 420, 300), start=200, end=330, fill=(232, 163, 61), width=5)  # attention
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    return Image.objects.create(
        title="课堂观察示意图",
        file=ContentFile(buffer.getvalue(), name="classroom-observation.png"),
        collection=_collection(),
    )


def _breathing_video():
    Document = get_document_model()
    existing = Document.objects.filter(title="深呼吸放松练习（演示视频）").first()
    if existing is not None:
        return existing
    data = (MEDIA_DIR / "calm-breathing.mp4").read_bytes()
    return Document.objects.create(
        title="深呼吸放松练习（演示视频）", file=ContentFile(data, name="calm-breathing.mp4"), collection=_collection()
    )


CHECKLIST = [
    "情绪：持续两周以上低落、易怒或焦虑",
    "行为：退缩、回避同伴，或突然冲动、攻击",
    "学业：成绩明显下滑，作业长期不交",
    "身体：睡眠、食欲明显改变，常诉身体不适",
    "言语：谈论死亡、无望，或交代后事",
]


def _checklist_document():
    Document = get_document_model()
    existing = Document.objects.filter(title="学生心理困扰观察检核表").first()
    if existing is not None:
        return existing
    from fpdf import FPDF

    from .certificates import FontMissing, font_path

    try:
        font = str(font_path())
    except FontMissing:
        text = "学生心理困扰观察检核表\n\n" + "\n".join(f"□ {line}" for line in CHECKLIST)
        content, name = text.encode("utf-8"), "observation-checklist.txt"
    else:
        pdf = FPDF(format="A4")
        pdf.add_page()
        pdf.add_font("cjk", "", font, collection_font_number=0)
        pdf.set_font("cjk", size=18)
        pdf.cell(0, 14, "学生心理困扰观察检核表", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=12)
        pdf.multi_cell(
            0, 8, "班级：________    观察日期：________    记录教师：________", new_x="LMARGIN", new_y="NEXT"
        )
        for line in CHECKLIST:
            pdf.cell(0, 12, f"□  {line}", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 8, "出现任一项并持续两周以上，请当天告知心理健康教师或班主任。请勿在表上书写学生姓名。")
        content, name = bytes(pdf.output()), "observation-checklist.pdf"
    return Document.objects.create(
        title="学生心理困扰观察检核表", file=ContentFile(content, name=name), collection=_collection()
    )


def _media_block(kind: str, key: str):
    if kind == "image":
        return (
            "image",
            {"image": _observe_image(), "alt_text": "教师在课堂上留意一名学生的情绪变化", "decorative": False},
        )
    if kind == "video":
        transcript = "<p>画面颜色缓慢变化，请跟着变化吸气、停顿、呼气。</p>"
        return ("video", {"title": "深呼吸放松练习", "video": _breathing_video(), "transcript": transcript})
    return ("attachment", {"title": "学生心理困扰观察检核表", "document": _checklist_document(), "note": "可打印"})


def _quiz(title: str) -> Quiz:
    quiz, created = Quiz.objects.get_or_create(title=title, defaults={"pass_mark": 60, "max_attempts": 3})
    if created:
        for order, (text, kind, options) in enumerate(QUIZZES[title]):
            QuizQuestion.objects.create(quiz=quiz, sort_order=order, text=text, kind=kind, options="\n".join(options))
    return quiz


def _catalogue(home: Page, slug: str, title: str, audience: str, intro: str) -> CourseIndexPage:
    existing = Page.objects.child_of(home).filter(slug=slug).first()
    if existing is not None:
        if isinstance(existing.specific, CourseIndexPage):
            return existing.specific
        existing.delete()  # the placeholder section page from cms.home.demo
        home.refresh_from_db()
    index = CourseIndexPage(title=title, slug=slug, introduction=intro, audience=audience, show_in_menus=True)
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def _course(index: CourseIndexPage, spec: dict, year: TrainingYear) -> CoursePage:
    existing = CoursePage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing
    quiz = _quiz(spec["quiz"])
    course = CoursePage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        outline=spec["outline"],
        topic=spec["topic"],
        teacher_categories=spec.get("teacher_categories", []),
        parent_age_stages=spec.get("parent_age_stages", []),
        credit_hours=spec["credit_hours"],
        compulsory=spec["compulsory"],
        training_year=year,
    )
    index.add_child(instance=course)
    course.save_revision().publish()
    for n, (title, body) in enumerate(spec["lessons"], start=1):
        stream = [
            ("quiz", {"quiz": quiz, "introduction": "达到及格线即完成本课。"})
            if kind == "quiz"
            else _media_block(kind, value)
            if kind in ("image", "video", "attachment")
            else (kind, value)
            for kind, value in body
        ]
        lesson = LessonPage(title=title, slug=f"lesson-{n}", introduction="", body=stream, estimated_minutes=15)
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    return course


def _answer_correctly(enrolment: Enrolment, lesson: LessonPage, quiz: Quiz) -> None:
    from django.http import QueryDict

    state = services.quiz_state(enrolment, quiz, lesson)
    if state.passed or not state.token:
        return
    data = QueryDict(mutable=True)
    for question in quiz.questions.all():
        data.setlist(f"q{question.pk}", [str(i) for i in sorted(question.correct_set())])
    services.submit_quiz(enrolment.user, state.token, data)


def _study(enrolment: Enrolment, lesson: LessonPage) -> None:
    """The demo's stand-in for time passing: the lesson's study time and videos, as if spent.

    The site itself credits only the time measured between progress events.
    """
    services.record_progress(enrolment, lesson, "open")
    requirement = services.lesson_requirement(lesson)
    LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson).update(
        seconds_spent=requirement.seconds, video_seconds=requirement.video_seconds
    )


def _learn(user: User, course: CoursePage, lessons_to_finish: int | None = None) -> Enrolment:
    """Walk `user` through the first lessons (all of them when None), as the site would."""
    enrolment, _created = Enrolment.objects.get_or_create(
        user=user, course=course, defaults={"teacher": TeacherProfile.objects.filter(user=user).first()}
    )
    if enrolment.completed_at is not None:
        return enrolment
    lessons = list(course.lessons())
    for lesson in lessons[: len(lessons) if lessons_to_finish is None else lessons_to_finish]:
        _study(enrolment, lesson)
        quiz_ids = lesson.quiz_ids()
        if quiz_ids:
            for quiz in Quiz.objects.filter(pk__in=quiz_ids):
                _answer_correctly(enrolment, lesson, quiz)
        else:
            services.finish_lesson(enrolment, lesson)
    return enrolment


H5P_DEMO = Path(__file__).resolve().parent / "demo_media" / "emotion-signal-truefalse.h5p"
H5P_DEMO_TITLE = "互动练习：这是求助信号吗？"


def _h5p_exercise(course: CoursePage) -> None:
    """An optional lesson with an H5P exercise, uploaded through the editor's validator."""
    if LessonPage.objects.child_of(course).filter(slug="h5p-exercise").exists():
        return
    content = H5PContent.objects.filter(title=H5P_DEMO_TITLE).first()
    if content is None:
        with H5P_DEMO.open("rb") as handle:
            content = h5p_storage.install(h5p_storage.validate_upload(handle), handle, H5PContent(title=H5P_DEMO_TITLE))
    lesson = LessonPage(
        title="互动练习：识别求助信号",
        slug="h5p-exercise",
        introduction="选做：用一道判断题检验自己能否识别学生的求助信号。",
        body=[
            ("paragraph", "<p>读完本课程后，试着判断下面的情境。答对即完成本课（选做，不影响课程完成）。</p>"),
            ("h5p", {"title": "情境判断", "content": content, "pass_percent": 100}),
        ],
        required=False,
        estimated_minutes=5,
        minimum_minutes=0,
    )
    course.add_child(instance=lesson)
    lesson.save_revision().publish()


def load() -> str:
    site = Site.objects.get(is_default_site=True)
    home = site.root_page
    year = TrainingYear.current(timezone.localdate())
    training = _catalogue(
        home,
        "training",
        "教师研修",
        "teachers",
        "<p>分层分类的心理健康教育专题培训：专职心理健康教师每年不低于40学时，班主任等思政教育骨干教师每年不低于10学时，"
        "其他教师每年至少参加1次专项培训。完成课程后学时自动计入“我的研修”。</p>",
    )
    parents = _catalogue(
        home,
        "parents",
        "家长学校",
        "parents",
        "<p>分年段心理健康促进指导是家长学校的必修课。按孩子所处年段选择课程。</p>",
    )
    courses = {spec["slug"]: _course(training, spec, year) for spec in COURSES}
    learners = 0
    parent_courses = {spec["slug"]: _course(parents, spec, year) for spec in PARENT_COURSES}
    # Parents part-way through and done, so the parent-school report has figures.
    if (parent2 := User.objects.filter(username="parent2").first()) is not None:
        _learn(parent2, parent_courses["adolescence-guide"])
        learners += 1
    if (parent4 := User.objects.filter(username="parent4").first()) is not None:
        _learn(parent4, parent_courses["exam-stress"], lessons_to_finish=1)
        learners += 1

    # Learners part-way through (t_other is left free to take the short course in the browser test).
    if (t_psy := User.objects.filter(username="t_psy").first()) is not None:
        _learn(t_psy, courses["crisis-intervention-track"], lessons_to_finish=2)
        _learn(t_psy, courses["all-teachers-first-step"])
        learners += 1
    if (t_head := User.objects.filter(username="t_head").first()) is not None:
        _learn(t_head, courses["head-teacher-mental-health"], lessons_to_finish=1)
        learners += 1
    # A few teachers at another school have finished the all-teachers course (hours in their ledger).
    others = User.objects.filter(username__startswith="t_dhz01_").order_by("username")[:4]
    for user in others:
        _learn(user, courses["all-teachers-first-step"])
        learners += 1
    _h5p_exercise(courses["all-teachers-first-step"])
    return (
        f"{CoursePage.objects.count()} courses, {LessonPage.objects.count()} lessons, {Quiz.objects.count()} quizzes, "
        f"{Enrolment.objects.count()} enrolments ({Enrolment.objects.filter(completed_at__isnull=False).count()} "
        f"completed), {QuizAttempt.objects.filter(submitted_at__isnull=False).count()} quiz attempts"
    )
