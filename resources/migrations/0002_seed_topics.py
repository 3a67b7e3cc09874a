"""The topic taxonomy's starting list (editors add, rename and reorder topics as snippets)."""

from django.db import migrations

TOPICS = [
    ("self", "自我认识"),
    ("emotion", "情绪管理"),
    ("relationships", "人际交往"),
    ("learning", "学习心理"),
    ("career", "生涯规划"),
    ("life", "生命教育"),
    ("puberty", "青春期教育"),
    ("crisis", "危机预防"),
    ("family", "家庭教育"),
    ("adaptation", "适应与成长"),
    ("stress", "压力与挫折"),
]


def seed(apps, schema_editor):
    Topic = apps.get_model("resources", "ResourceTopic")
    for order, (slug, name) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
