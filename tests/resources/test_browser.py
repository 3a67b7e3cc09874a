"""The library journeys in Debian's Chromium against a live server with the demo library loaded.

A psychology teacher searches, narrows by grade band, previews a plan, downloads it and logs a
lesson with it, on a desktop and a phone; an editor attaches a file through Wagtail's document
chooser (choosing an uploaded one on the desktop, uploading from the modal on the phone) and
publishes, and a teacher finds the resource by search at once and downloads the file. Screenshots: var/test-artifacts/.
"""

import pytest

from accounts.models import SchoolClass, User
from resources.models import ResourceDownload, ResourcePage
from tests.auth import browser_login
from tests.courses.test_browser import ARGS, ARTIFACTS, CHROMIUM, DESKTOP, PHONE
from tracking.models import ClassActivity

PASSWORD = "xinyu-demo-2026"  # noqa: S105 - the published demo password


def load_library():
    import accounts.demo
    import cms.home.demo
    import resources.demo

    for loader in (accounts.demo.load, cms.home.demo.load, resources.demo.load):
        loader()


def login(page, url: str, username: str) -> None:
    """Through the real login pages; the editor, a manager, types their authenticator's code."""
    browser_login(page, url, username, PASSWORD)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_teacher_searches_filters_previews_downloads_and_logs_a_lesson(live_server, monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    load_library()
    url = live_server.url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    teacher = User.objects.get(username="t_psy")
    school_class = SchoolClass.objects.filter(psychology_teacher__user=teacher).order_by("grade", "pk").first()
    requested = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
            page = context.new_page()
            page.set_default_timeout(20000)
            page.on("request", lambda request: requested.append(request.url))
            login(page, url, "t_psy")

            page.goto(f"{url}/resources/")
            expect(page.locator("h1")).to_have_text("资源库")
            page.screenshot(path=str(ARTIFACTS / f"library-index-{name}.png"), full_page=True)
            page.fill("#library-q", "情绪")
            page.get_by_role("button", name="搜索", exact=True).click()
            expect(page.locator(".search-summary")).to_contain_text("条结果")
            expect(page.locator(".search-hit mark").first).to_have_text("情绪")
            page.screenshot(path=str(ARTIFACTS / f"library-search-{name}.png"), full_page=True)

            # Ticking a facet filters at once (the form submits on change).
            page.locator("input[type=checkbox][name=grade_band][value=primary_middle]").check()
            page.wait_for_url(lambda u: "grade_band=primary_middle" in u)
            expect(page.locator(".search-hit").first).to_be_visible()
            hits = page.locator(".search-hit").count()
            expect(page.locator(".search-hit", has_text="小学中段")).to_have_count(hits)
            page.screenshot(path=str(ARTIFACTS / f"library-filtered-{name}.png"), full_page=True)

            page.get_by_role("link", name="情绪温度计：我会调节坏心情").click()
            expect(page.locator(".resource-preview")).to_contain_text("设计意图")
            page.screenshot(path=str(ARTIFACTS / f"library-resource-{name}.png"), full_page=True)
            with page.expect_download() as download:
                page.get_by_role("link", name="下载").first.click()
            assert download.value.suggested_filename.endswith(".docx")

            if name == "desktop":
                page.goto(f"{url}/me/classes/{school_class.pk}/log/")
                page.select_option("select[name=resource]", label="情绪温度计：我会调节坏心情")
                page.fill("input[name=topic]", "情绪温度计")
                page.screenshot(path=str(ARTIFACTS / f"library-log-lesson-{name}.png"), full_page=True)
                page.get_by_role("button", name="保存").click()
                page.wait_for_url(lambda u: u.endswith("/me/classes/"))
            context.close()
        browser.close()

    assert ResourceDownload.objects.filter(user=teacher).count() >= 2
    activity = ClassActivity.objects.get(school_class=school_class, topic="情绪温度计")
    assert activity.resource.title == "情绪温度计：我会调节坏心情"
    assert all(u.startswith(url) or u.startswith("data:") for u in requested)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editor_attaches_a_file_through_the_chooser_publishes_and_a_teacher_finds_and_downloads_it(
    live_server, monkeypatch, tmp_path
):
    """Wagtail's own document chooser modal, no script: on the desktop the editor uploads the plan in the
    documents admin (a disguised file is refused first) and chooses it from the modal's search; on the
    phone the editor uploads it from the modal's upload tab. Then a teacher searches, opens it, downloads."""
    from playwright.sync_api import expect, sync_playwright

    from wagtail.documents import get_document_model

    from tests.factories.resources import docx_bytes

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    load_library()
    url = live_server.url
    index = ResourcePage.objects.first().get_parent()
    teacher = User.objects.get(username="t_psy")
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"MZ this is not a pdf")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
            page = context.new_page()
            page.set_default_timeout(30000)
            login(page, url, "editor")
            title = "正念呼吸：三分钟安定练习" if name == "desktop" else "正念呼吸（手机发布）"
            document_title = f"{title}（教案）"
            plan = tmp_path / f"mindful-breathing-{name}.docx"
            plan.write_bytes(docx_bytes(title, "暖身：身体扫描"))

            if name == "desktop":
                # A disguised file is refused with a Chinese message; the real plan is accepted.
                page.goto(f"{url}/admin/documents/add/")
                page.fill("input[name=title]", "伪装的文件")
                page.set_input_files("input[name=file]", str(fake))
                page.locator("form button[type=submit]").last.click()
                expect(page.locator("body")).to_contain_text("不是 PDF 文件")
                page.fill("input[name=title]", document_title)
                page.set_input_files("input[name=file]", str(plan))
                page.locator("form button[type=submit]").last.click()
                page.wait_for_url(lambda u: "/admin/documents/add/" not in u)

            page.goto(f"{url}/admin/pages/add/resources/resourcepage/{index.pk}/")
            page.fill("#id_title", title)
            page.fill("#id_summary", "三分钟正念呼吸，帮助初中生在考前安定情绪。")
            page.locator("input[name=grade_bands][value=junior]").check()
            page.select_option("#id_resource_type", "lesson_plan")
            page.locator("#id_attachments-ADD").click()
            page.locator("#id_attachments-0-document-chooser button, [id^=id_attachments-0-document] button").filter(
                has_text="选择"
            ).first.click()
            modal = page.locator(".modal-dialog")
            expect(modal).to_be_visible()
            if name == "desktop":
                modal.get_by_role("textbox").first.fill("正念呼吸")
                modal.get_by_role("link", name=document_title).click()
            else:
                modal.get_by_role("tab", name="上传").click()
                upload = modal.locator("form").filter(has=page.locator("input[type=file]"))
                upload.get_by_label("标题").fill(document_title)
                upload.locator("input[type=file]").set_input_files(str(plan))
                page.screenshot(path=str(ARTIFACTS / f"library-editor-chooser-upload-{name}.png"), full_page=True)
                upload.locator("button[type=submit]").click()
            expect(modal).to_be_hidden()
            expect(
                page.locator("[id^=id_attachments-0-document]").filter(has_text=document_title).first
            ).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / f"library-editor-{name}.png"), full_page=True)
            page.get_by_role("button", name="更多动作").click()
            page.get_by_role("button", name="发布").click()
            page.wait_for_url(lambda u: "/admin/pages/add/" not in u)
            document = get_document_model().objects.get(title=document_title)
            resource = ResourcePage.objects.get(title=title)
            assert resource.live and resource.attachments.get().document == document
            context.close()

            # A teacher finds it by search and downloads the file through the library's logged view.
            context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
            page = context.new_page()
            page.set_default_timeout(30000)
            login(page, url, "t_psy")
            page.goto(f"{url}/search/?q=正念呼吸")
            hit = page.locator(".search-hit", has_text=title)
            expect(hit).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / f"library-editor-search-{name}.png"), full_page=True)
            hit.get_by_role("link").first.click()
            with page.expect_download() as download:
                page.get_by_role("link", name="下载").first.click()
            assert download.value.suggested_filename.endswith(".docx")
            assert ResourceDownload.objects.filter(user=teacher, resource=resource).count() == 1
            context.close()
        browser.close()
