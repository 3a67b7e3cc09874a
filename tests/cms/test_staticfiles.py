"""Static URLs (cms/core/staticfiles.py): the manifest's hashed URL, worked out once per name."""

import json

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from cms.core.staticfiles import StaticFilesStorage


def test_static_urls_are_worked_out_once_per_name(tmp_path, settings, monkeypatch):
    settings.DEBUG = False
    manifest = {"paths": {"css/site.css": "css/site.0123abcd.css"}, "version": "1.1", "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    storage = StaticFilesStorage(location=str(tmp_path), base_url="/static/")
    asked = []
    real = CompressedManifestStaticFilesStorage.url
    monkeypatch.setattr(
        CompressedManifestStaticFilesStorage,
        "url",
        lambda self, name, force=False: asked.append(name) or real(self, name, force),
    )
    assert [storage.url("css/site.css") for _ in range(3)] == ["/static/css/site.0123abcd.css"] * 3
    assert asked == ["css/site.css"]
    for _ in range(2):
        with pytest.raises(ValueError):
            storage.url("css/missing.css")
    assert asked.count("css/missing.css") == 2  # a mistake is not remembered as an answer
