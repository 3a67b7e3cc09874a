"""Scope for the delivery and parent-school reports: pages, charts and exports."""

import pytest

from django.urls import reverse

NEW = ["delivery", "parents"]


def urls():
    out = []
    for key in NEW:
        out += [reverse(f"reports:{key}"), reverse(f"reports:{key}_chart")]
        out += [reverse("reports:export", args=[key]) + f"?format={fmt}" for fmt in ("xlsx", "csv")]
    return out


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, delivery, parents):
    for url in urls():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.django_db
def test_teachers_and_parents_are_refused(delivery, parents, login, teacher):
    for user in (teacher.user, parents["p1"].user):
        client = login(user)
        for url in urls():
            assert client.get(url).status_code == 403, (user, url)


@pytest.mark.django_db
def test_every_coordinator_opens_every_page(
    delivery, parents, login, city_coordinator, district_coordinator, school_coordinator
):
    for user in (city_coordinator, district_coordinator, school_coordinator):
        client = login(user)
        for url in urls():
            assert client.get(url, {"term": delivery["term"].pk}).status_code == 200, (user, url)


@pytest.mark.django_db
def test_district_coordinator_forged_ids_are_404(delivery, parents, org, login, district_coordinator):
    client = login(district_coordinator)
    term = delivery["term"].pk
    page = client.get(reverse("reports:delivery"), {"term": term})
    assert {r["name"] for r in page.context["table"].rows} == {"甲一小学", "甲二中学"}
    assert page.context["table"].totals["classes"] == 4
    for key in NEW:
        forged = [
            (reverse(f"reports:{key}"), {"district": org["district_b"].pk}),
            (reverse(f"reports:{key}"), {"school": org["school_b1"].pk}),
            (reverse(f"reports:{key}"), {"school": delivery["vocational"].pk}),
            (reverse(f"reports:{key}_chart"), {"school": org["school_b1"].pk}),
            (reverse("reports:export", args=[key]), {"district": org["district_b"].pk, "format": "xlsx"}),
            (reverse("reports:export", args=[key]), {"school": org["school_b1"].pk, "format": "csv"}),
            (reverse(f"reports:{key}"), {"school": "x1"}),
            (reverse(f"reports:{key}"), {"school": 999999}),
        ]
        for url, params in forged:
            assert client.get(url, {"term": term, **params}).status_code == 404, (url, params)


@pytest.mark.django_db
def test_school_coordinator_sees_only_own_school(delivery, parents, org, login, school_coordinator):
    client = login(school_coordinator)
    page = client.get(reverse("reports:delivery"), {"term": delivery["term"].pk})
    assert [r["name"] for r in page.context["table"].rows] == ["甲一小学"]
    assert page.context["table"].totals["classes"] == 3
    page = client.get(reverse("reports:parents"))
    assert [r["name"] for r in page.context["table"].rows] == ["甲一小学"]
    assert page.context["table"].totals["enrolled"] == 2
    for key in NEW:
        assert client.get(reverse(f"reports:{key}"), {"school": org["school_a2"].pk}).status_code == 404
        assert client.get(reverse(f"reports:{key}"), {"district": org["district_a"].pk}).status_code == 404
    csv = client.get(reverse("reports:export", args=["parents"]), {"format": "csv"}).content.decode("utf-8-sig")
    assert "甲一小学" in csv and "乙一小学" not in csv and "未填写学校" not in csv


@pytest.mark.django_db
def test_index_links_both_new_reports(login, city_coordinator):
    page = login(city_coordinator).get(reverse("reports:index")).content.decode()
    assert reverse("reports:delivery") in page and reverse("reports:parents") in page
