"""Reviewers judge what the school submitted: the district and the city see the scorecard as
submitted (with its time) and, beside it, where today's figures say something else."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from evaluation.rounds.models import Application, Round

from .test_workflow import _approve_all, _facility


def _row(body: str, key: str) -> dict[str, str]:
    """The submitted-scorecard row of one indicator: its cells' text by column label."""
    section = body.split('id="submitted"')[1].split("</section>")[0]
    row = re.search(rf'<tr data-indicator="{key}"([^>]*)>(.*?)</tr>', section, re.S)
    cells = {
        label: " ".join(re.sub(r"<[^>]+>", " ", text).split())
        for label, text in re.findall(r'<td data-label="([^"]+)">(.*?)</td>', row.group(2), re.S)
    }
    cells["changed"] = "snapshot-changed" in row.group(1)
    return cells


def test_reviewers_see_the_submitted_scorecard_and_what_changed_since(world, as_user):
    today = timezone.localdate()
    school, district, city = (as_user(u) for u in (world.school, world.district, world.city))
    assert _facility(school, "leading_group").status_code == 302
    _approve_all(district)
    round_ = Round.objects.create(
        kind="standard",
        title="达标评估",
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
        indicators=["leading_group", "crisis_group"],
        created_by=world.city,
    )
    page = reverse("evaluation_rounds:application", args=[round_.pk, world.a1.pk])
    assert 'id="submitted"' not in school.get(page).content.decode()  # nothing submitted yet
    assert school.post(page, {"step": "submit", "statement": "已成立领导小组。"}).status_code == 302

    body = district.get(page).content.decode()
    assert "学校提交时的评估结果" in body and "提交于" in body
    assert "各项数据均未变化" in body

    # After the submission the crisis group is entered and approved, the leading group dissolved.
    assert _facility(school, "crisis_group").status_code == 302
    assert _facility(school, "leading_group", present=False).status_code == 302
    _approve_all(district)
    assert Application.objects.get().snapshot["crisis_group"]["verdict"] == "not_met"  # kept as submitted

    for reviewer in (district, city):
        body = reviewer.get(page).content.decode()
        assert "有 2 项指标的数据已变化" in body
        # As submitted: no approved crisis group (not met), a leading group (met); now the reverse.
        assert _row(body, "crisis_group") == {
            "标准": "成立心理危机干预小组",
            "提交时数据": "— 无已审核的填报",  # the figure's note, as the school read it
            "提交时结论": "未达标",
            "现在": "已变化 有 达标",
            "changed": True,
        }
        leading = _row(body, "leading_group")
        assert (leading["提交时数据"], leading["提交时结论"], leading["现在"]) == ("有", "达标", "已变化 无 未达标")
        # The live scorecard below says the same as "now".
        live = body.split("按本轮标准的评估结果")[1]
        crisis_now = re.search(r'<tr data-indicator="crisis_group">.*?</tr>', live, re.S).group(0)
        assert '<span class="badge badge-ok">达标</span>' in crisis_now


def test_a_snapshot_taken_before_notes_were_kept_still_compares():
    from evaluation.rounds import snapshot

    older = {"leading_group": {"figure": "有", "standard": "成立心理健康工作领导小组", "verdict": "met"}}
    (row,) = snapshot.compare(older, [])
    assert (row.figure, row.note, row.verdict, row.live_figure, row.changed) == ("有", "", "met", None, True)
