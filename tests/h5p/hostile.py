"""A corpus of hostile .h5p packages, built at test time from a real fixture.

Each builder returns (kind, bytes). The base is hello-world-truefalse.h5p, which passes every
check; each kind breaks exactly one rule of courses/h5p/validator.py.
"""

from __future__ import annotations

import io
import json
import stat
import struct
import zipfile

from .conftest import FIXTURES

BASE = "hello-world-truefalse.h5p"


def base_members() -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(FIXTURES / BASE) as z:
        return [(i.filename, z.read(i)) for i in z.infolist() if not i.is_dir()]


def pack(members, *, compression=zipfile.ZIP_DEFLATED, infos: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = compression
            for key, value in (infos or {}).get(name, {}).items():
                setattr(info, key, value)
            z.writestr(info, data)
    return buffer.getvalue()


def replace(members, name, data):
    return [(n, data if n == name else d) for n, d in members]


def drop(members, predicate):
    return [(n, d) for n, d in members if not predicate(n)]


def edit_json(members, name, change):
    out = []
    for n, d in members:
        if n == name:
            value = json.loads(d)
            change(value)
            d = json.dumps(value).encode()
        out.append((n, d))
    return out


def _raw_duplicate() -> bytes:
    # zipfile warns but writes a second entry with the same name.
    import warnings

    members = base_members()
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members:
                z.writestr(name, data)
            z.writestr("content/content.json", b"{}")
    return buffer.getvalue()


def _bad_crc() -> bytes:
    data = bytearray(pack(base_members(), compression=zipfile.ZIP_STORED))
    # Flip a byte inside content/content.json's stored data (its text is unique in the archive).
    at = data.find(b'"question"')
    if at < 0:
        at = data.find(b"Oslo")
    data[at + 2] ^= 0x20
    return bytes(data)


def _bomb(ratio_bytes=50 * 1024 * 1024) -> bytes:
    members = base_members() + [("content/bomb.txt", b"\0" * ratio_bytes)]
    return pack(members)


def _many_entries(count=10_000) -> bytes:
    members = base_members() + [(f"content/f{i}.txt", b"x") for i in range(count)]
    return pack(members, compression=zipfile.ZIP_STORED)


def _lying_header() -> bytes:
    """A member whose central-directory header claims 10 bytes but inflates to 40 MB."""
    out = bytearray(pack(base_members() + [("content/big.txt", b"A" * (40 * 1024 * 1024))]))
    at = 0
    while (at := out.find(b"PK\x01\x02", at + 1)) >= 0:
        (name_length,) = struct.unpack_from("<H", out, at + 28)
        if out[at + 46 : at + 46 + name_length] == b"content/big.txt":
            struct.pack_into("<I", out, at + 24, 10)
    return bytes(out)


def _encrypted() -> bytes:
    """h5p.json flagged as encrypted (general purpose bit 0) in both of its headers."""
    out = bytearray(pack(base_members()))
    for signature, flags_at, name_at, length_at in ((b"PK\x03\x04", 6, 30, 26), (b"PK\x01\x02", 8, 46, 28)):
        at = -1
        while (at := out.find(signature, at + 1)) >= 0:
            (name_length,) = struct.unpack_from("<H", out, at + length_at)
            if out[at + name_at : at + name_at + name_length] == b"h5p.json":
                struct.pack_into("<H", out, at + flags_at, struct.unpack_from("<H", out, at + flags_at)[0] | 1)
    return bytes(out)


def kinds() -> list[tuple[str, bytes]]:
    m = base_members()
    link = {"content/link.txt": {"external_attr": (stat.S_IFLNK | 0o777) << 16, "create_system": 3}}
    fifo = {"content/pipe.txt": {"external_attr": (stat.S_IFIFO | 0o644) << 16, "create_system": 3}}
    return [
        ("not a zip", b"this is not a zip file at all"),
        ("empty file", b""),
        ("truncated archive", pack(m)[: len(pack(m)) // 2]),
        ("bad CRC", _bad_crc()),
        ("path traversal ..", pack(m + [("content/../../evil.txt", b"x")])),
        ("absolute path", pack(m + [("/etc/evil.txt", b"x")])),
        ("drive letter", pack(m + [("C:/evil.txt", b"x")])),
        ("backslash", pack(m + [("content\\evil.txt", b"x")])),
        ("empty segment", pack(m + [("content//evil.txt", b"x")])),
        ("dot file", pack(m + [("content/.htaccess", b"x")])),
        ("dot folder", pack(m + [(".git/config", b"x")])),
        ("control character", pack(m + [("content/ev\x01il.txt", b"x")])),
        ("symlink", pack(m + [("content/link.txt", b"/etc/passwd")], infos=link)),
        ("fifo", pack(m + [("content/pipe.txt", b"")], infos=fifo)),
        ("duplicate name", _raw_duplicate()),
        ("duplicate by case", pack(m + [("CONTENT/content.json", b"{}")])),
        ("no h5p.json", pack(drop(m, lambda n: n == "h5p.json"))),
        ("h5p.json not JSON", pack(replace(m, "h5p.json", b"{not json"))),
        ("h5p.json a list", pack(replace(m, "h5p.json", b"[]"))),
        ("h5p.json without title", pack(edit_json(m, "h5p.json", lambda v: v.pop("title")))),
        ("h5p.json without language", pack(edit_json(m, "h5p.json", lambda v: v.pop("language")))),
        ("h5p.json without mainLibrary", pack(edit_json(m, "h5p.json", lambda v: v.pop("mainLibrary")))),
        ("h5p.json without dependencies", pack(edit_json(m, "h5p.json", lambda v: v.pop("preloadedDependencies")))),
        (
            "h5p.json bad dependency",
            pack(edit_json(m, "h5p.json", lambda v: v["preloadedDependencies"].append({"machineName": "X"}))),
        ),
        ("mainLibrary not a dependency", pack(edit_json(m, "h5p.json", lambda v: v.update(mainLibrary="H5P.Evil")))),
        ("no content.json", pack(drop(m, lambda n: n == "content/content.json"))),
        ("content.json not JSON", pack(replace(m, "content/content.json", b"{oops"))),
        ("missing library", pack(drop(m, lambda n: n.startswith("Tether-1.0/")))),
        ("library without library.json", pack(drop(m, lambda n: n == "Drop-1.0/library.json"))),
        ("library.json not JSON", pack(replace(m, "Drop-1.0/library.json", b"nope"))),
        (
            "library.json without patchVersion",
            pack(edit_json(m, "Drop-1.0/library.json", lambda v: v.pop("patchVersion"))),
        ),
        (
            "folder does not match library.json",
            pack(edit_json(m, "Drop-1.0/library.json", lambda v: v.update(minorVersion=9))),
        ),
        ("folder not machineName-major.minor", pack(m + [("Evil/library.json", b"{}")])),
        (
            "preloadedJs outside the folder",
            pack(
                edit_json(
                    m, "Drop-1.0/library.json", lambda v: v.update(preloadedJs=[{"path": "../H5P.TrueFalse-1.6/x.js"}])
                )
            ),
        ),
        ("script in content", pack(m + [("content/evil.js", b"alert(1)")])),
        ("HTML in content", pack(m + [("content/page.html", b"<script>alert(1)</script>")])),
        ("CSS in content", pack(m + [("content/evil.css", b"body{}")])),
        ("PHP in a library", pack(m + [("Drop-1.0/shell.php", b"<?php system($_GET['c']);")])),
        ("executable at the root", pack(m + [("setup.exe", b"MZ")])),
        ("file without extension", pack(m + [("content/README", b"x")])),
        ("SVG with script disguised as .svgz", pack(m + [("content/x.svgz", b"<svg onload='alert(1)'/>")])),
        ("oversize package", b"PK" + b"\0" * (65 * 1024 * 1024)),
        ("1,000:1 compression (zip bomb)", _bomb()),
        ("header lies about size", _lying_header()),
        ("10,000 entries", _many_entries()),
        ("encrypted entry", _encrypted()),
    ]


def svg_with_script() -> bytes:
    """Allowed by the extension list (H5P content may carry SVG): served so that script cannot run."""
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
    return pack(base_members() + [("content/images/evil.svg", svg)])
