import datetime
import os

import pytest

from django.utils import timezone

from search.backends.database import DatabaseBackend
from search.registry import Document
from tests.resources.conftest import library, resource  # noqa: F401 - shared fixtures

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")


@pytest.fixture(params=["database", "elasticsearch"])
def backend(request, db):
    """The same behaviour tests run on the database backend always and on Elasticsearch when
    ELASTICSEARCH_URL points at a server (README: "Elasticsearch"); the mapping and request
    bodies are checked without a server in test_elastic.py."""
    if request.param == "database":
        yield DatabaseBackend()
        return
    if not ELASTICSEARCH_URL:
        pytest.skip("ELASTICSEARCH_URL is not set: no Elasticsearch server to run against")
    from search.backends.elastic import ElasticsearchBackend

    es = ElasticsearchBackend(ELASTICSEARCH_URL, index="xinyu-test-search")
    es.clear()
    yield es
    es.clear()


def doc(n: int, title: str, summary: str = "", **kwargs) -> Document:
    defaults = {
        "source": "resource",
        "object_id": str(n),
        "url": f"/resources/r{n}/",
        "facets": {"resource_type": ["lesson_plan"], "grade_band": ["junior"], "topic": ["emotion"]},
        "published_at": timezone.make_aware(datetime.datetime(2026, 9, 1)) + datetime.timedelta(days=n),
    }
    defaults.update(kwargs)
    return Document(title=title, summary=summary, **defaults)


@pytest.fixture
def documents(backend):
    """Six documents: three about emotions, two about exam anxiety, one parents' course."""
    docs = [
        doc(
            1,
            "认识我的情绪小怪兽",
            "一二年级学生识别基本情绪",
            facets={"resource_type": ["lesson_plan"], "grade_band": ["primary_lower"], "topic": ["emotion"]},
        ),
        doc(2, "ABC情绪模型：换个想法换种心情", "初中生情绪管理，ABC理论", featured=True),
        doc(
            3,
            "情绪管理主题班会",
            "主题班团队会方案",
            facets={"resource_type": ["activity_plan"], "grade_band": ["junior", "senior"], "topic": ["emotion"]},
            popularity=30,
        ),
        doc(
            4,
            "考前焦虑不用怕",
            "高三考前心理调适，放松训练",
            facets={"resource_type": ["lesson_plan"], "grade_band": ["senior"], "topic": ["stress"]},
            popularity=50,
        ),
        doc(
            5,
            "中考冲刺减压团体辅导",
            "初三考试焦虑团体辅导",
            facets={"resource_type": ["activity_plan"], "grade_band": ["junior"], "topic": ["stress"]},
        ),
        doc(6, "青春期亲子沟通", "家长课程", source="course", facets={"audience": ["parents"]}),
    ]
    for d in docs:
        backend.upsert(d)
    return backend
