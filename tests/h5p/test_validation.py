"""Upload checks: every fixture package passes; a hostile corpus built at test time is refused
through the admin with a Chinese message per problem, no 500, and not one byte written."""

import os

import pytest
from bs4 import BeautifulSoup

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.roles import ensure_editor_group
from courses.h5p import storage
from courses.h5p.validator import PackageError, read_package
from courses.models import H5PContent, H5PLibrary
from tests.auth import login_with_mfa
from tests.factories import UserFactory

from .conftest import FIXTURES, PACKAGES, upload
from .hostile import kinds, svg_with_script

KINDS = kinds()


def disk_bytes(settings) -> dict[str, int]:
    """Every file under the media roots, with its size: what 'nothing written' is checked against."""
    found = {}
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        for folder, _dirs, files in os.walk(root):
            for name in files:
                path = os.path.join(folder, name)
                found[path] = os.path.getsize(path)
    return found


@pytest.fixture
def editor(db):
    user = UserFactory(username="h5p-editor")
    user.groups.add(ensure_editor_group())
    return user


def test_the_corpus_has_every_kind_the_issue_names():
    names = {kind for kind, _data in KINDS}
    assert len(names) == len(KINDS) >= 40
    for needed in (
        "symlink",
        "HTML in content",
        "oversize package",
        "1,000:1 compression (zip bomb)",
        "10,000 entries",
    ):
        assert needed in names


@pytest.mark.parametrize("name", PACKAGES)
def test_every_fixture_package_passes_and_installs(db, name):
    content = upload(name)
    assert content.main_library.machine_name == content.metadata["mainLibrary"]
    assert storage.content_dir(content.pk).joinpath("content", "content.json").is_file()
    for library in content.libraries.all():
        assert storage.library_dir(library.folder).joinpath("library.json").is_file()


@pytest.mark.parametrize("kind,data", KINDS, ids=[k for k, _d in KINDS])
def test_hostile_package_is_refused_by_the_validator(kind, data, db):
    import io

    with translation.override("zh-hans"), pytest.raises(PackageError) as refused:
        read_package(io.BytesIO(data))
    assert refused.value.messages
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in refused.value.messages), refused.value.messages


def test_hostile_uploads_through_the_admin_write_nothing(client, editor, settings):
    login_with_mfa(client, editor)
    url = reverse("wagtailsnippets_courses_h5pcontent:add")
    os.makedirs(settings.PRIVATE_MEDIA_ROOT, exist_ok=True)
    before = disk_bytes(settings)
    for kind, data in KINDS:
        response = client.post(
            url, {"title": kind, "package": SimpleUploadedFile("exercise.h5p", data)}, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
        assert response.status_code == 200, kind  # the form again, with the reasons; never a 500
        assert "error-message" in response.content.decode() or "errorlist" in response.content.decode(), kind
    after = disk_bytes(settings)
    print(
        f"bytes on disk before: {sum(before.values())} in {len(before)} files; "
        f"after: {sum(after.values())} in {len(after)} files"
    )
    assert after == before
    assert not H5PContent.objects.exists() and not H5PLibrary.objects.exists()


def test_an_editor_uploads_a_package_and_sees_its_libraries(client, editor):
    login_with_mfa(client, editor)
    with (FIXTURES / "H5P.MultiChoice.h5p").open("rb") as handle:
        response = client.post(
            reverse("wagtailsnippets_courses_h5pcontent:add"),
            {"title": "", "package": SimpleUploadedFile("mc.h5p", handle.read())},
        )
    assert response.status_code == 302
    content = H5PContent.objects.get()
    assert content.title == "Multiple Choice"  # the package's own title when none is given
    assert content.uploaded_by == editor
    edit = client.get(reverse("wagtailsnippets_courses_h5pcontent:edit", args=[content.pk]))
    assert "H5P.MultiChoice" in edit.content.decode()
    libraries = client.get(reverse("wagtailsnippets_courses_h5plibrary:list"))
    assert libraries.status_code == 200 and "H5P.JoubelUI" in libraries.content.decode()


def test_the_library_list_says_which_packages_use_each_library_in_chinese(client, editor):
    upload("H5P.TrueFalse.h5p")
    upload("H5P.MultiChoice.h5p")
    login_with_mfa(client, editor)
    page = client.get(reverse("wagtailsnippets_courses_h5plibrary:list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    html = page.content.decode()
    assert "版本" in html and "使用它的互动内容" in html and ">Version<" not in html
    soup = BeautifulSoup(html, "html.parser")
    said = {span.get_text(strip=True) for span in soup.select("tbody td span.w-sr-only")}
    assert {"是", "否"} <= said and not said & {"True", "False"}  # runnable: a tick or a cross, said in Chinese
    cells = {}
    for row in soup.select("tbody tr"):
        texts = [cell.get_text(" ", strip=True) for cell in row.select("td")]
        cells[texts[1].removesuffix("检查").strip()] = texts[2:]
    # Stored once per major.minor and shared: JoubelUI serves both packages, TrueFalse only its own.
    assert H5PLibrary.objects.filter(machine_name="H5P.JoubelUI").count() == 1
    assert list(cells) == sorted(cells)  # by machine name, as before the count was added
    # columns: version, title, runnable (an icon, no text), packages using it, updated
    assert cells["H5P.JoubelUI"][3] == "2"
    assert cells["H5P.TrueFalse"][3] == "1" and cells["H5P.MultiChoice"][3] == "1"


def test_a_new_package_replaces_files_and_keeps_the_row(db):
    content = upload("H5P.TrueFalse.h5p")
    first_package = content.package.name
    same = upload("H5P.MultiChoice.h5p", content=content)
    assert same.pk == content.pk and same.main_library.machine_name == "H5P.MultiChoice"
    assert same.package.name != first_package
    assert H5PContent.objects.count() == 1


def test_libraries_are_stored_once_and_a_higher_patch_replaces(db):
    upload("H5P.TrueFalse.h5p")
    upload("H5P.MultiChoice.h5p")
    joubel = H5PLibrary.objects.filter(machine_name="H5P.JoubelUI")
    assert joubel.count() == len({(lib.major_version, lib.minor_version) for lib in joubel})
    lib = joubel.first()
    lib.patch_version = 0
    lib.save()
    marker = storage.library_dir(lib.folder) / "marker.txt"
    marker.write_text("old")
    upload("H5P.TrueFalse.h5p")
    lib.refresh_from_db()
    assert lib.patch_version > 0 and not marker.exists()  # the folder was swapped for the newer patch


def test_svg_is_allowed_but_served_so_that_script_cannot_run(client, db):
    import io

    package = read_package(io.BytesIO(svg_with_script()))
    assert "images/evil.svg" in package.content_files
