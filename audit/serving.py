"""The built site served the way a static host serves it, over loopback: gzip for text, a year's
cache for files whose names carry a content hash, `404.html` (with status 404) for any unknown
path. Lighthouse scores what a reader's phone downloads, so an uncompressed, uncached server
would measure the server, not the site."""

from __future__ import annotations

import gzip
import http.server
import mimetypes
import posixpath
import re
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

# material's `bundle.a5f9d56c.min.js`, `main.57a0d79d.min.css`; Pagefind's `en_5ff5929.pf_fragment`,
# `pagefind.en_99593887e6.pf_meta`: a new file name whenever the content changes.
HASHED_NAME = re.compile(r"[._][0-9a-f]{7,}\.")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"  # pages and unhashed assets: cached, but checked with the server each time
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml",
                "application/atom+xml", "image/svg+xml")
TYPES = {".js": "application/javascript", ".mjs": "application/javascript", ".json": "application/json",
         ".xml": "application/xml", ".svg": "image/svg+xml", ".webmanifest": "application/manifest+json"}


def cache_control(path: str) -> str:
    return IMMUTABLE if HASHED_NAME.search(posixpath.basename(path)) else REVALIDATE


def content_type(path: str) -> str:
    suffix = posixpath.splitext(path)[1].lower()
    kind = TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind in TYPES.values() else kind


def compressible(kind: str) -> bool:
    return kind.startswith(COMPRESSIBLE)


def accepts_gzip(header: str | None) -> bool:
    """Whether an Accept-Encoding header takes gzip (and does not refuse it with q=0)."""
    for part in (header or "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def resolve(root: Path, url_path: str) -> Path | None:
    """The file under `root` that `url_path` names (a folder's index.html), or None: nothing
    outside `root`, no dot-files."""
    parts = [part for part in posixpath.normpath(unquote(url_path)).split("/") if part not in ("", ".")]
    if any(part == ".." or part.startswith(".") for part in parts):
        return None
    found = root.joinpath(*parts)
    if found.is_dir():
        found = found / "index.html"
    return found if found.is_file() else None


@lru_cache(maxsize=None)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)


class SiteHandler(http.server.BaseHTTPRequestHandler):
    root: Path
    protocol_version = "HTTP/1.1"  # keep-alive, as every host serves today

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self._answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        url_path = urlsplit(self.path).path
        found = resolve(self.root, url_path)
        if found is not None and found.name == "index.html" and not url_path.endswith(("/", ".html")):
            self.send_response(301)  # a folder's address without its slash, as static hosts answer
            self.send_header("Location", url_path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = 200
        if found is None:
            status, found = 404, self.root / "404.html"
            if not found.is_file():
                self.send_error(404)
                return
        kind = content_type(found.name)
        encoded = compressible(kind) and accepts_gzip(self.headers.get("Accept-Encoding"))
        data = _gzipped(found, found.stat().st_mtime_ns) if encoded else found.read_bytes()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", cache_control(found.name) if status == 200 else REVALIDATE)
        if compressible(kind):
            self.send_header("Vary", "Accept-Encoding")
        if encoded:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


@contextmanager
def serving(root: Path, name: str = "site-server") -> Iterator[str]:
    """`root` served on 127.0.0.1 (an ephemeral port) from a thread named `name`: its origin."""
    handler = type("Handler", (SiteHandler,), {"root": root})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
