"""No model anywhere in the project stores a student's or family's name."""

import re

from django.apps import apps

SUSPICIOUS_NAME = re.compile(r"(student|child|kid|pupil|family|parent|guardian|son|daughter)_?(full_?)?name", re.I)
SUSPICIOUS_LABEL = re.compile(r"(学生|孩子|子女|儿童|幼儿|家长|家庭|监护人)(的)?(姓名|名字)")


def test_no_model_field_stores_a_student_or_family_name():
    offending = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            name = getattr(field, "name", "")
            label = str(getattr(field, "verbose_name", ""))
            if SUSPICIOUS_NAME.search(name) or SUSPICIOUS_LABEL.search(label):
                offending.append(f"{model._meta.label}.{name}")
    assert offending == []


def test_the_inspection_would_catch_one():
    assert SUSPICIOUS_NAME.search("student_name")
    assert SUSPICIOUS_NAME.search("childName")
    assert SUSPICIOUS_NAME.search("family_name")
    assert SUSPICIOUS_LABEL.search("学生姓名")
