"""A template's source digest, for cache keys of rendered HTML (the chrome, the lesson's main
column): a deploy that changes the template starts new keys. Read once per process.

Part of cms.core's shared kit: it imports no app.
"""

from __future__ import annotations

import functools
import hashlib

from django.template.loader import get_template


@functools.cache
def digest(name: str) -> str:
    source = get_template(name).template.source
    return hashlib.blake2b(source.encode(), digest_size=8).hexdigest()
