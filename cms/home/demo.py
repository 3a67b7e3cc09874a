"""Demo pages: the home page content and the section landing pages under it.

Section pages are keyed on their slug, so a later app may replace one with its own page
type (the course catalogue takes over `training`) without this loader fighting it.
"""

from wagtail.models import Page, Site

from cms.core.models import SiteSettings, StandardPage

from .models import HomePage

HOTLINES = "12355、966525、0791-88330120"

SECTIONS = [
    (
        "training",
        "教师研修",
        "<p>分层分类的心理健康教育专题培训：专职心理健康教师每年不低于40学时，"
        "班主任等思政教育骨干教师每年不低于10学时，其他教师每年至少参加1次专项培训。</p>",
    ),
    (
        "resources",
        "资源库",
        "<p>心理健康活动课教案、课件与主题班团队会方案，供专兼职心理健康教师下载使用。</p>",
    ),
    (
        "parents",
        "家长学校",
        "<p>分年段心理健康促进指导是家长学校的必修课。按孩子所处年段选择课程，"
        "了解孩子的成长特点和规律，掌握不同年段家庭教育重点。</p>",
    ),
    (
        "campaigns",
        "宣传活动",
        "<p>结合“10·10世界精神卫生日”“家庭教育宣传周”“心理健康教育活动月”以及开学、考试、"
        "毕业等重要时间节点开展心理健康教育宣传活动。</p>",
    ),
]


def _home() -> HomePage:
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    if not isinstance(home, HomePage):
        home = HomePage.objects.first()
    return home


def load() -> str:
    home = _home()
    if not home.body:  # first load only: later runs must not add revisions or undo edits
        _fill_home(home)

    created = 0
    for slug, title, intro in SECTIONS:
        if Page.objects.child_of(home).filter(slug=slug).exists():
            continue
        home.add_child(instance=StandardPage(title=title, slug=slug, introduction=intro, show_in_menus=True))
        created += 1

    site = Site.objects.get(is_default_site=True)
    settings = SiteSettings.for_site(site)
    settings.hotlines = HOTLINES
    settings.organiser = "南昌市教育局"
    settings.save()
    return f"home page and {created} new section pages"


def _fill_home(home: HomePage) -> None:
    home.title = "心育研修平台"
    home.hero_title = "心育研修平台"
    home.hero_text = (
        "<p>南昌市中小学心理健康教育教师研修与学习平台：分层分类培训、学时登记、"
        "心理健康活动课资源、家长学校与宣传活动，一站完成。</p>"
    )
    home.body = [
        (
            "cards",
            {
                "cards": [
                    {"title": title, "text": _plain(intro), "page": None, "url": f"/{slug}/"}
                    for slug, title, intro in SECTIONS
                ]
            },
        ),
        (
            "callout",
            {
                "title": "年度研修目标",
                "text": "<ul><li>专职心理健康教师：每年不低于40学时</li>"
                "<li>班主任等思政教育骨干教师：每年不低于10学时</li>"
                "<li>其他教师：每年至少参加1次心理健康教育专项培训</li></ul>",
                "tone": "info",
            },
        ),
        (
            "callout",
            {
                "title": "24小时心理援助热线",
                "text": f"<p>{HOTLINES}。学生心声有处可说、有人倾听。</p>",
                "tone": "important",
            },
        ),
    ]
    home.save_revision().publish()


def _plain(html: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", html)
