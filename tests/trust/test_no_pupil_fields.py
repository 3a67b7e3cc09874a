"""No pupils' names anywhere (DESIGN.md, Privacy; PIPL art. 28/31 for minors): a model that gains
a field named like one fails here, before it can hold a single name."""

import re

from django.apps import apps

# English and pinyin names of a field that would hold a pupil's or child's name or identity.
PUPIL = r"(student|pupil|child|children|kid|xuesheng|haizi|youer)"
NAMEISH = r"(name|full_?name|given_?name|family_?name|surname|xingming|mingzi|id_?card|id_?number|sfz)"
FIELD_NAME = re.compile(rf"({PUPIL}_?{NAMEISH}|{NAMEISH}_?of_?{PUPIL})", re.IGNORECASE)
LABEL = re.compile(r"(学生|学员|幼儿|孩子|子女|儿童|小孩).{0,2}(姓名|名字|身份证)")


def offending_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            name = getattr(field, "name", "")
            label = str(getattr(field, "verbose_name", ""))
            if FIELD_NAME.search(name) or LABEL.search(label):
                yield f"{model._meta.label}.{name} ({label})"


def test_no_model_has_a_field_for_a_pupils_name():
    assert list(offending_fields()) == []


def test_the_check_would_catch_one():
    for name in ("student_name", "childName", "pupil_full_name", "xuesheng_xingming", "name_of_child"):
        assert FIELD_NAME.search(name), name
    assert LABEL.search("学生姓名") and LABEL.search("孩子的姓名")
    for name in ("student_count", "name", "family_count", "children_age_stages", "staff_number"):
        assert not FIELD_NAME.search(name), name
