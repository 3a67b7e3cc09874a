"""Login lands on 我的首页: each role's next steps, in the person's own name."""

import re

import pytest

from django.urls import reverse

from courses import services
from tests.auth import login_with_mfa
from tests.factories import (
    ExternalClaimFactory,
    ImportBatchFactory,
    OfflineSessionFactory,
    ParentProfileFactory,
    TeacherProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    return response.content.decode().split('<main id="main"')[1].split("</main>")[0]


def test_login_lands_on_the_start_page_and_greets_by_name(client, teacher, password, settings):
    settings.ACCOUNT_ALLOW_REGISTRATION = False
    page = client.get(reverse("account_login")).content.decode()
    assert '<label for="id_login">用户名或邮箱：</label>' in page
    assert "/accounts/signup/" not in page  # sign-up is closed: no 注册 link
    response = client.post(
        reverse("account_login"), {"login": teacher.user.username, "password": password}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("start")
    messages = [str(m) for m in response.context["messages"]]
    assert any(teacher.user.name in m for m in messages) and not any(teacher.user.username in m for m in messages)
    assert f"欢迎，{teacher.user.name}" in _main(response)


def test_the_sign_up_link_shows_where_sign_up_is_open(client, settings):
    settings.ACCOUNT_ALLOW_REGISTRATION = True
    assert "/accounts/signup/" in client.get(reverse("account_login")).content.decode()


def test_a_teacher_sees_continue_learning_and_hours(client, teacher, course, training_year):  # noqa: F811
    enrolment, _ = services.enrol(teacher.user, course)
    reading, quiz_lesson = course.lessons()
    services.finish_lesson(enrolment, reading)
    client.force_login(teacher.user)
    main = _main(client.get(reverse("start")))
    assert "继续学习" in main
    assert f'href="{quiz_lesson.url}"' in main  # straight to the first unfinished lesson
    assert "本年度 0.0 学时" in main
    assert "我的研修" in main


def test_a_coordinator_sees_the_to_dos_of_their_scope(client, org, school_coordinator, training_year):
    inside = TeacherProfileFactory(school=org["school_a1"])
    outside = TeacherProfileFactory(school=org["school_b1"])
    ExternalClaimFactory(teacher=inside, training_year=training_year)
    ExternalClaimFactory(teacher=outside, training_year=training_year)
    ImportBatchFactory(session=OfflineSessionFactory(school=org["school_a1"], training_year=training_year))
    ImportBatchFactory(session=OfflineSessionFactory(school=org["school_b1"], training_year=training_year))
    login_with_mfa(client, school_coordinator)
    main = _main(client.get(reverse("start")))
    assert re.search(r"data-todo-claims>1<", main)
    assert re.search(r"data-todo-imports>1<", main)
    assert re.search(r"data-todo-behind>1<", main)  # the one teacher of the school, 0 of 1 session
    assert "继续学习" not in main


def test_a_parent_sees_the_stages_and_no_teacher_wording(client, db):
    parent = ParentProfileFactory(age_stages=["junior", "primary_lower"])
    client.force_login(parent.user)
    response = client.get(reverse("start"))
    main = _main(response)
    assert "初中" in main and "小学低年级（1—3年级）" in main
    assert "我的课程" in main
    for word in ("学时", "研修", "我的班级"):
        assert word not in main, word


def test_someone_without_a_role_is_told_whom_to_ask(client, db):
    client.force_login(UserFactory())
    assert "培训管理员" in _main(client.get(reverse("start")))
    assert client.get(reverse("start")).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("start"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
