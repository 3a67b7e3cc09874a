"""家长注册: self-registration with an optional join code, consent, no child's name, bad input."""

import datetime
import json

import pytest

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, JoinCode, ParentProfile, User
from accounts.parents import services
from tests.auth import login_with_mfa
from tests.factories import (
    CoordinatorRoleFactory,
    CourseIndexPageFactory,
    CoursePageFactory,
    EnrolmentFactory,
    JoinCodeFactory,
    ParentProfileFactory,
    SchoolClassFactory,
    SchoolFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = "/family/join/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _post(client, **overrides):
    data = {
        "mobile": "138 0000 1234",
        "email": "",
        "name": "刘女士",
        "age_stages": ["primary_lower", "junior"],
        "join_code": "",
        "password1": "Xinyu-family-2026",
        "password2": "Xinyu-family-2026",
        "consent": "on",
    }
    data.update(overrides)
    return client.post(URL, data)


def test_a_parent_registers_with_a_mobile_number_and_is_logged_in(client):
    before = timezone.now()
    response = _post(client)
    assert response.status_code == 302
    user = User.objects.get(username="13800001234")
    profile = user.parent_profile
    assert user.phone == "13800001234"
    assert profile.age_stages == ["primary_lower", "junior"]
    assert profile.consent_version == services.consent_version()
    assert profile.consent_at >= before and profile.registered_at >= before
    assert profile.school is None
    # Logged in, on 我的首页: each child's stage with its compulsory course.
    assert response.url == reverse("start")
    assert client.get(reverse("tracking:dashboard")).status_code == 200
    # They log in with the number later.
    client.logout()
    assert client.login(username="13800001234", password="Xinyu-family-2026")


@pytest.mark.parametrize(
    "fields, hidden",
    [
        ({"name": ""}, ["13800001234", "138 0000 1234"]),
        ({"name": "", "mobile": "", "email": "jia.zhang@example.cn"}, ["jia.zhang", "example.cn"]),
    ],
    ids=["mobile", "email"],
)
def test_one_welcome_and_a_parent_without_a_name_is_greeted_neutrally(client, fields, hidden):
    _post(client, **fields)
    page = client.get(reverse("start"))
    body = page.content.decode()
    welcomes = [str(m) for m in page.context["messages"]]
    assert welcomes == ["欢迎加入家长学校！您的课程如下。"]  # not allauth's "…，欢迎回来！" as well
    assert "<h1>家长您好</h1>" in body
    user = User.objects.get(parent_profile__isnull=False)
    assert user.display_name == "家长"
    for identifier in hidden + [user.username]:
        assert identifier not in body


def test_a_parent_with_a_name_is_welcomed_by_it_and_logging_in_later_greets_the_same_way(client):
    _post(client)
    assert "<h1>欢迎，刘女士</h1>" in client.get(reverse("start")).content.decode()
    client.logout()
    _post(client, mobile="139 0000 5678", name="")
    client.logout()
    client.post(reverse("account_login"), {"login": "13900005678", "password": "Xinyu-family-2026"})
    messages = [str(m) for m in client.get(reverse("start")).context["messages"]]
    assert messages == ["家长，欢迎回来！"]


def test_a_join_code_links_the_parent_to_the_school_and_class(client):
    school_class = SchoolClassFactory()
    code = JoinCodeFactory(school=school_class.school, school_class=school_class)
    # As printed on paper, typed in lower case with a space.
    _post(client, join_code=f" {code.code.lower()} ", mobile="", email="Mum@Example.cn")
    profile = ParentProfile.objects.get(user__email="mum@example.cn")
    assert (profile.school, profile.school_class, profile.join_code) == (school_class.school, school_class, code)


def test_the_qr_link_fills_in_the_join_code(client):
    code = JoinCodeFactory()
    page = client.get(f"{URL}?code={code.code}").content.decode()
    assert f'value="{code.code}"' in page
    assert "孩子姓名" not in page and "child's name" not in page.lower().replace("no child's name", "")


@pytest.mark.parametrize(
    "raw, message",
    [
        ("HELLO", "这不是加入码"),
        ("JJ-7K3M9Q", "其他城市"),
        ("NC-7K3M9Q", "没有学校使用这个加入码"),
    ],
)
def test_a_wrong_join_code_is_refused_with_a_chinese_message_and_nothing_is_created(client, raw, message):
    response = _post(client, join_code=raw)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="13800001234").exists()


def test_an_expired_or_revoked_join_code_is_refused(client):
    expired = JoinCodeFactory(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    revoked = JoinCodeFactory(revoked_at=timezone.now())
    for code in (expired, revoked):
        response = _post(client, join_code=code.code)
        assert "加入码已失效" in response.content.decode()
    assert ParentProfile.objects.count() == 0


def test_duplicate_mobile_or_email_is_refused_and_nothing_half_created(client):
    UserFactory(username="13800001234")
    UserFactory(username="someone", email="taken@example.cn")
    users = User.objects.count()
    assert "该手机号已注册" in _post(client).content.decode()
    assert "该邮箱已注册" in _post(client, mobile="", email="TAKEN@example.cn").content.decode()
    assert User.objects.count() == users


def test_missing_consent_stages_or_login_are_refused(client):
    page = _post(client, consent="").content.decode()
    assert "请阅读隐私告知并勾选同意" in page
    page = _post(client, age_stages=[]).content.decode()
    assert "请至少选择一个年段" in page
    page = _post(client, mobile="", email="").content.decode()
    assert "请填写手机号或邮箱" in page
    page = _post(client, mobile="12345").content.decode()
    assert "11 位" in page
    page = _post(client, password2="other-password-1").content.decode()
    assert "两次输入的密码不一致" in page
    assert User.objects.count() == 0


def test_sign_up_is_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip"}  # the test settings turn limits off
    _post(client, mobile="13800000001")
    client.logout()
    _post(client, mobile="13800000002")
    client.logout()
    response = _post(client, mobile="13800000003")
    assert response.status_code == 429
    assert "注册过于频繁" in response.content.decode()
    assert not User.objects.filter(username="13800000003").exists()


def test_a_race_on_the_same_number_creates_one_parent():
    services.register_parent(password="x-Very-long-1", age_stages=["junior"], mobile="13900001111")
    with pytest.raises(Exception) as exc:
        services.register_parent(password="x-Very-long-1", age_stages=["junior"], mobile="13900001111")
    assert "已注册" in str(exc.value)
    assert User.objects.filter(username="13900001111").count() == 1


def test_no_model_has_a_field_for_a_childs_name():
    """The families' models hold age stages and counts, never a child (PIPL art. 28/31)."""
    from django.apps import apps

    suspicious = ("child_name", "student_name", "pupil", "kid_name")
    for model in apps.get_models():
        for field in model._meta.get_fields():
            assert not any(s in field.name.lower() for s in suspicious), f"{model.__name__}.{field.name}"
    names = {f.name for f in ParentProfile._meta.get_fields()} | {f.name for f in JoinCode._meta.get_fields()}
    assert not {n for n in names if "name" in n}


# --- my data and deletion -------------------------------------------------------------------
def test_a_parent_downloads_their_data(client):
    profile = ParentProfileFactory(age_stages=["junior"], consent_version="2026-09", consent_at=timezone.now())
    catalogue = CourseIndexPageFactory()
    course = CoursePageFactory(
        parent=catalogue, title="青春期亲子沟通", parent_age_stages=["junior"], teacher_categories=[]
    )
    EnrolmentFactory(user=profile.user, course=course)
    login_with_mfa(client, profile.user)
    response = client.get(reverse("my_data_json"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    sections = {section["model"]: section["rows"] for section in data["sections"]}
    (parent,) = sections["accounts.parentprofile"]
    assert "2026-09" in parent.values() and ["junior"] in parent.values()  # consent version, the child's stage
    (enrolment,) = sections["courses.enrolment"]
    assert "青春期亲子沟通" in enrolment.values()


def test_a_parent_deletes_their_account_with_their_password(client, password):
    profile = ParentProfileFactory()
    user = profile.user
    catalogue = CourseIndexPageFactory()
    EnrolmentFactory(user=user, course=CoursePageFactory(parent=catalogue, parent_age_stages=["junior"]))
    AuditEvent.objects.create(actor=user, action="test.event")
    login_with_mfa(client, user)
    page = client.post(reverse("family:delete"), {"password": "wrong"}).content.decode()
    assert "密码不正确" in page
    assert User.objects.filter(pk=user.pk).exists()
    response = client.post(reverse("family:delete"), {"password": password})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert AuditEvent.objects.get(action="test.event").actor is None


def test_a_teacher_cannot_delete_themselves_here(client):
    teacher = UserFactory()
    from tests.factories import TeacherProfileFactory

    TeacherProfileFactory(user=teacher)
    login_with_mfa(client, teacher)
    assert client.get(reverse("family:delete")).status_code == 403


# --- join codes (coordinators) -----------------------------------------------------------------
def test_a_school_coordinator_creates_prints_and_revokes_a_join_code(client):
    role = CoordinatorRoleFactory(level="school", school=SchoolFactory())
    login_with_mfa(client, role.user)
    response = client.post(reverse("family:join_codes"), {"school": role.school.pk, "label": "家长会"})
    code = JoinCode.objects.get()
    assert response.url == reverse("family:join_code", args=[code.pk])
    assert code.code.startswith("NC-") and code.school == role.school
    page = client.get(response.url).content.decode()
    assert code.code in page and f"/family/join/?code={code.code}" in page
    qr = client.get(reverse("family:join_code_qr", args=[code.pk]))
    assert qr["Content-Type"] == "image/png" and qr.content[:4] == b"\x89PNG"
    client.post(reverse("family:revoke_join_code", args=[code.pk]))
    code.refresh_from_db()
    assert code.revoked_at is not None
    assert AuditEvent.objects.filter(action="parents.join_code_revoke").exists()


def test_join_codes_stay_inside_the_coordinators_scope(client):
    role = CoordinatorRoleFactory(level="school", school=SchoolFactory())
    other = JoinCodeFactory()
    login_with_mfa(client, role.user)
    assert client.get(reverse("family:join_code", args=[other.pk])).status_code == 404
    assert client.get(reverse("family:join_code_qr", args=[other.pk])).status_code == 404
    assert client.post(reverse("family:revoke_join_code", args=[other.pk])).status_code == 404
    # A forged school id in the form is refused.
    response = client.post(reverse("family:join_codes"), {"school": other.school.pk})
    assert response.status_code == 200 and JoinCode.objects.count() == 1
    # A class of another school is refused too.
    foreign_class = SchoolClassFactory()
    client.post(reverse("family:join_codes"), {"school": role.school.pk, "school_class": foreign_class.pk})
    assert JoinCode.objects.count() == 1
    # Teachers and parents are not coordinators.
    login_with_mfa(client, ParentProfileFactory().user)
    assert client.get(reverse("family:join_codes")).status_code == 403


def test_the_start_page_lists_the_compulsory_course_for_each_childs_stage(client):
    catalogue = CourseIndexPageFactory()
    CoursePageFactory(parent=catalogue, title="读懂青春期", parent_age_stages=["junior"], compulsory=True)
    CoursePageFactory(parent=catalogue, title="选修：亲子阅读", parent_age_stages=["junior"], compulsory=False)
    both = CoursePageFactory(
        parent=catalogue, title="识别预警信号", parent_age_stages=["senior", "vocational"], compulsory=True
    )
    profile = ParentProfileFactory(age_stages=["vocational", "junior"])
    EnrolmentFactory(user=profile.user, course=both, completed_at=timezone.now())
    login_with_mfa(client, profile.user)
    page = client.get(reverse("start")).content.decode()
    assert page.index("初中必修") < page.index("读懂青春期") < page.index("中职必修") < page.index("识别预警信号")
    assert "选修：亲子阅读" not in page
    assert "未开始" in page and 'badge-ok">完成' in page
