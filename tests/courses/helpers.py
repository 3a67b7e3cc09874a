import re

from django.urls import reverse


def quiz_token(html: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', html)
    assert match, "the lesson page shows no quiz form"
    return match.group(1)


def submit(client, token: str, answers: dict, **extra):
    return client.post(reverse("courses:submit_quiz"), {"token": token, **answers, **extra}, follow=True)
