"""Quiz attempts: extra attempts granted by coordinators, the count shown before each submission,
empty sheets refused, and what a learner learns from a failed attempt."""

import pytest

from django.urls import reverse

from accounts.models import AuditEvent
from courses.models import QuizAttempt, QuizAttemptGrant
from tests.auth import login_with_mfa
from tests.factories import CoordinatorRoleFactory

from .conftest import correct_answers, lessons, wrong_answers
from .helpers import quiz_token, submit

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def learner(client, teacher, course):
    client.force_login(teacher.user)
    client.post(reverse("courses:enrol", args=[course.pk]))
    return teacher


def _quiz_page(client, course) -> str:
    return client.get(lessons(course)[1].url).content.decode()


def _use_up(client, course, quiz):
    for _ in range(quiz.max_attempts):
        submit(client, quiz_token(_quiz_page(client, course)), wrong_answers(quiz))


def test_the_learner_sees_the_attempts_left_before_each_submission(client, learner, course, quiz):
    assert "提交后还剩 2 次作答机会。" in _quiz_page(client, course)
    submit(client, quiz_token(_quiz_page(client, course)), wrong_answers(quiz))
    page = _quiz_page(client, course)
    assert "已作答 1 / 3 次" in page
    assert "提交后还剩 1 次作答机会。" in page
    submit(client, quiz_token(page), wrong_answers(quiz))
    assert "这是最后一次作答机会。" in _quiz_page(client, course)


def test_coordinator_grants_extra_attempts_and_the_learner_can_answer_again(
    client, learner, course, quiz, school_coordinator
):
    _use_up(client, course, quiz)
    page = _quiz_page(client, course)
    assert 'name="token"' not in page
    assert "培训管理员可以为您增加作答次数" in page

    login_with_mfa(client, school_coordinator)
    listing = client.get(reverse("courses:enrolments", args=[course.pk])).content.decode()
    assert "作答次数已用完" in listing
    enrolment = learner.user.enrolments.get()
    url = reverse("courses:grant_attempts", args=[enrolment.pk])
    assert url in listing
    response = client.post(url, {"quiz": quiz.pk, "extra_attempts": 2, "reason": "本人申请，已重新学习"}, follow=True)
    assert f"{learner.user.display_name} 在“{quiz.title}”中增加了 2 次作答机会。" in _messages(response)
    grant = QuizAttemptGrant.objects.get()
    assert (grant.granted_by, grant.extra_attempts, grant.reason) == (school_coordinator, 2, "本人申请，已重新学习")
    with pytest.raises(ValueError):
        grant.save()  # append-only
    event = AuditEvent.objects.get(action="quiz.grant_attempts")  # the platform's one audit trail
    assert (event.actor, event.school_id, event.object_id) == (school_coordinator, learner.school_id, grant.pk)
    assert event.before == {"allowed": 3} and event.after["allowed"] == 5 and event.after["reason"] == grant.reason
    trail = client.get(reverse("ledger:audit_log")).content.decode()
    assert "增加测验作答次数" in trail and learner.user.display_name in trail

    client.force_login(learner.user)
    page = _quiz_page(client, course)
    assert "已作答 3 / 5 次" in page and "提交后还剩 1 次作答机会。" in page
    response = submit(client, quiz_token(page), correct_answers(quiz))
    assert "测验通过，得分 100%。" in _messages(response)
    assert QuizAttempt.objects.filter(passed=True).count() == 1


def test_a_grant_needs_a_reason(client, learner, course, quiz, school_coordinator):
    login_with_mfa(client, school_coordinator)
    enrolment = learner.user.enrolments.get()
    response = client.post(
        reverse("courses:grant_attempts", args=[enrolment.pk]), {"quiz": quiz.pk, "extra_attempts": 1, "reason": " "}
    )
    assert response.status_code == 200
    assert "必需字段" in response.content.decode()
    assert not QuizAttemptGrant.objects.exists()


def test_grants_are_for_coordinators_in_scope_only(client, learner, org, course, quiz, password):
    enrolment = learner.user.enrolments.get()
    url = reverse("courses:grant_attempts", args=[enrolment.pk])
    data = {"quiz": quiz.pk, "extra_attempts": 3, "reason": "x"}
    other_school = CoordinatorRoleFactory(level="school", school=org["school_b1"]).user
    for outsider in (other_school, learner.user):
        login_with_mfa(client, outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    login_with_mfa(client, CoordinatorRoleFactory(level="district", district=org["district_a"]).user)
    assert client.get(url).status_code == 200
    assert client.get(reverse("courses:grant_attempts", args=[999999])).status_code == 404
    assert not QuizAttemptGrant.objects.exists()


def test_an_empty_sheet_is_refused_and_costs_nothing(client, learner, course, quiz):
    token = quiz_token(_quiz_page(client, course))
    response = submit(client, token, {})
    assert "请先回答全部题目再提交：第 1、2 题未作答。本次未计入作答次数。" in _messages(response)
    first = quiz.questions.first()
    response = submit(client, token, {f"q{first.pk}": ["0"]})
    assert "请先回答全部题目再提交：第 2 题未作答。本次未计入作答次数。" in _messages(response)
    assert not QuizAttempt.objects.exists()
    # The same sheet, now complete, still counts as the first attempt.
    submit(client, token, correct_answers(quiz))
    assert QuizAttempt.objects.get().number == 1


def test_a_failed_attempt_shows_the_wrong_questions_and_the_pass_mark_not_the_answers(client, learner, course, quiz):
    answers = correct_answers(quiz)
    second = list(quiz.questions.all())[1]
    answers[f"q{second.pk}"] = wrong_answers(quiz)[f"q{second.pk}"]
    response = submit(client, quiz_token(_quiz_page(client, course)), answers)
    assert "得分 50%，未达到 60% 的及格线。答错的题目已在下方标出。" in _messages(response)
    page = _quiz_page(client, course)
    box = page.split("data-wrong-questions")[1].split("</div>")[0]
    assert "上次作答得分 50%，及格线为 60%。答错的题目：" in box and "第 2 题" in box and "第 1 题" not in box
    assert "正确答案" not in page


def test_the_editor_may_show_the_correct_answers_after_a_failure(client, learner, course, quiz):
    quiz.show_answers = True
    quiz.save()
    submit(client, quiz_token(_quiz_page(client, course)), wrong_answers(quiz))
    box = _quiz_page(client, course).split("data-wrong-questions")[1].split("</div>")[0]
    assert "正确答案：12355" in box
    assert "正确答案：情绪持续低落、谈论死亡" in box
