"""An in-process cache of whole responses: the archive is immutable, so a GET page is a pure function of its URL.

``ResponseCache`` is an ASGI middleware (installed through Datasette's ``asgi_wrapper`` hook) that keeps
complete ``200`` responses to ``GET`` requests, keyed by scheme, host, path and query string, in a
least-recently-used store bounded by total bytes. Identical requests that arrive while the first is
being answered wait for it instead of computing the page again. Each response it handles carries
``X-Cache: hit`` or ``X-Cache: miss``.

It stays out of the way (no header, nothing stored) for: other methods; requests with cookies or an
``Authorization`` header; streamed exports (``_stream=``); Datasette's own ``/-/`` pages other than the
ones listed in ``cache_prefixes``; responses that set cookies, aren't ``200``, or exceed ``max_item_mb``;
and every request while any served database is mutable (a database opened without ``--immutable``).
Entries older than ``max_age_seconds`` are computed again, so a page degraded under load (a facet that
timed out) does not stay that way until a restart. Configure in metadata.yml::

    plugins:
      boardpapers:
        response_cache: {max_mb: 64, max_item_mb: 4, max_age_seconds: 600}   # max_mb: 0 turns it off

or set ``BOARDPAPERS_RESPONSE_CACHE_MB`` (0 turns it off) in the server's environment.

Restart the server after a build, as for Datasette itself: the cache lives in the process.
"""

from __future__ import annotations

import asyncio
import os
import time
import urllib.parse
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from datasette import hookimpl

PLUGIN = "boardpapers"
MB = 1_000_000
DEFAULTS = {"max_mb": 64, "max_item_mb": 4, "max_age_seconds": 600}
# the archive's own pages under /-/ (the measure index and paper pages included), and static files
CACHE_PREFIXES = (
    "/-/archive-search",
    "/-/search",
    "/-/claims",
    "/-/measures",
    "/-/papers",  # the papers list and each paper's page
    "/-/static/",
    "/-/static-plugins/",
)
SKIP_HEADERS = (b"cookie", b"authorization")
ENV_MB = "BOARDPAPERS_RESPONSE_CACHE_MB"

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    stored: float = field(default_factory=time.monotonic)

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 200


def request_key(scope: Scope, cache_prefixes: Iterable[str] = CACHE_PREFIXES) -> tuple[str, ...] | None:
    """The cache key of an ASGI request, or None when the request must not be cached."""
    if scope.get("type") != "http" or scope.get("method") != "GET":
        return None
    headers = dict(scope.get("headers") or [])
    if any(name in headers for name in SKIP_HEADERS):
        return None
    path = scope.get("path") or "/"
    if path.startswith("/-/") and not path.startswith(tuple(cache_prefixes)):
        return None
    if path.startswith("/_internal"):
        return None
    query = scope.get("query_string") or b""
    if isinstance(query, bytes):
        query = query.decode("latin-1")
    names = {name for name, _ in urllib.parse.parse_qsl(query, keep_blank_values=True)}
    if "_stream" in names or "_trace" in names:
        return None
    host = headers.get(b"host", b"").decode("latin-1")
    return (scope.get("scheme") or "http", host, scope.get("root_path") or "", path, query)


class ResponseCache:
    """ASGI middleware: cache complete 200 GET responses of ``app``, coalescing identical requests.

    ``enabled()`` is asked on every request (Datasette's databases may be attached after start-up);
    while it answers False every request goes straight to ``app``.
    """

    def __init__(
        self,
        app: App,
        *,
        max_bytes: int = 64 * MB,
        max_item_bytes: int = 2 * MB,
        max_age: float = 600.0,
        enabled: Callable[[], bool] = lambda: True,
        cache_prefixes: Iterable[str] = CACHE_PREFIXES,
    ):
        self.app = app
        self.max_bytes = max_bytes
        self.max_item_bytes = min(max_item_bytes, max_bytes)
        self.max_age = max_age
        self.enabled = enabled
        self.cache_prefixes = tuple(cache_prefixes)
        self.entries: OrderedDict[tuple[str, ...], Entry] = OrderedDict()
        self.size = 0
        self.inflight: dict[tuple[str, ...], asyncio.Future[Entry | None]] = {}
        self.hits = self.misses = 0

    def get(self, key: tuple[str, ...]) -> Entry | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        if time.monotonic() - entry.stored > self.max_age:
            self._drop(key)
            return None
        self.entries.move_to_end(key)
        return entry

    def put(self, key: tuple[str, ...], entry: Entry) -> None:
        if entry.size > self.max_item_bytes:
            return
        if key in self.entries:
            self._drop(key)
        self.entries[key] = entry
        self.size += entry.size
        while self.size > self.max_bytes and self.entries:
            self._drop(next(iter(self.entries)))

    def _drop(self, key: tuple[str, ...]) -> None:
        self.size -= self.entries.pop(key).size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = request_key(scope, self.cache_prefixes) if self.max_bytes > 0 else None
        if key is None or not self.enabled():
            await self.app(scope, receive, send)
            return
        entry = self.get(key)
        if entry is None and key in self.inflight:
            entry = await asyncio.shield(self.inflight[key])  # the same page is being computed: wait for it
        if entry is not None:
            self.hits += 1
            await _replay(entry, send)
            return
        self.misses += 1
        if key in self.inflight:  # the page being computed turned out not cacheable: compute our own
            await self.app(scope, receive, _with_header(send, b"miss"))
            return
        future: asyncio.Future[Entry | None] = asyncio.get_running_loop().create_future()
        self.inflight[key] = future
        try:
            await self._fill(key, future, scope, receive, send)
        finally:
            if not future.done():
                future.set_result(None)
            if self.inflight.get(key) is future:
                del self.inflight[key]

    async def _fill(
        self, key: tuple[str, ...], future: asyncio.Future[Entry | None], scope: Scope, receive: Receive, send: Send
    ) -> None:
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        body: list[bytes] = []
        size = 0
        keep = True

        def give_up() -> None:
            nonlocal keep
            keep = False
            body.clear()
            if not future.done():
                future.set_result(None)  # waiters compute their own, at once

        async def capture(message: Message) -> None:
            nonlocal status, headers, size
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(bytes(k), bytes(v)) for k, v in message.get("headers") or []]
                if status != 200 or any(k.lower() == b"set-cookie" for k, _ in headers):
                    give_up()
                message = {**message, "headers": [*headers, (b"x-cache", b"miss")]}
            elif message["type"] == "http.response.body" and keep:
                chunk = message.get("body") or b""
                size += len(chunk)
                if size > self.max_item_bytes:
                    give_up()
                else:
                    body.append(chunk)
                if keep and not message.get("more_body"):
                    entry = Entry(status, headers, b"".join(body))
                    self.put(key, entry)
                    if not future.done():
                        future.set_result(entry)
            await send(message)

        await self.app(scope, receive, capture)


def _with_header(send: Send, value: bytes) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*(message.get("headers") or []), (b"x-cache", value)]}
        await send(message)

    return wrapped


async def _replay(entry: Entry, send: Send) -> None:
    await send(
        {"type": "http.response.start", "status": entry.status, "headers": [*entry.headers, (b"x-cache", b"hit")]}
    )
    await send({"type": "http.response.body", "body": entry.body})


def settings(config: dict[str, Any] | None, environ: Mapping[str, str] = os.environ) -> dict[str, float]:
    """``response_cache`` from the plugin config, with defaults; bad values fall back to them.

    ``BOARDPAPERS_RESPONSE_CACHE_MB`` in the environment overrides ``max_mb`` (0 turns the cache off).
    """
    given = dict((config or {}).get("response_cache") or {})
    if environ.get(ENV_MB, "").strip():
        given["max_mb"] = environ[ENV_MB]
    out: dict[str, float] = {}
    for name, default in DEFAULTS.items():
        try:
            out[name] = max(0.0, float(given.get(name, default)))
        except (TypeError, ValueError):
            out[name] = float(default)
    return out


def all_immutable(datasette: Any) -> bool:
    """True when no served database can change while the server runs (``_internal`` aside)."""
    return all(not db.is_mutable for name, db in datasette.databases.items() if name != "_internal")


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app: App) -> App:
        cache: dict[str, ResponseCache] = {}

        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            if "c" not in cache:  # configuration is read at the first request, once metadata is loaded
                s = settings(datasette.plugin_config(PLUGIN))
                cache["c"] = ResponseCache(
                    app,
                    max_bytes=int(s["max_mb"] * MB),
                    max_item_bytes=int(s["max_item_mb"] * MB),
                    max_age=s["max_age_seconds"],
                    enabled=lambda: all_immutable(datasette),
                )
                datasette._boardpapers_response_cache = cache["c"]
            await cache["c"](scope, receive, send)

        return wrapped

    return wrap
