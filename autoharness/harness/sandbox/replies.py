"""Building requests and parsing replies on the host: strict, bounds-checked, no pickle.

Every reply byte comes from an untrusted process. A reply that breaks the format in any way — a
wrong tag, a length past the end, invalid UTF-8, an oversized string, a malformed value, trailing
bytes — raises ``Violation``, and the caller kills the worker.
"""

from __future__ import annotations

from autoharness.harness.sandbox import codec
from autoharness.harness.sandbox import protocol as proto
from autoharness.harness.sandbox.common import CallFailure
from autoharness.harness.sandbox.process import Violation

MAX_SETUP_CHARS = 16_000


def encode_text(text: str, parts: list[bytes]) -> None:
    data = text.encode("utf-8", "surrogatepass")
    parts.append(proto.LEN.pack(len(data)))
    parts.append(data)


WANT_BOOL, WANT_STR, WANT_VALUE = 0, 1, 2


def parse_items(data: bytes, pos: int, count: int, want: int, max_len: int) -> list:
    """``count`` reply items from ``data[pos:]``: bools (``WANT_BOOL``), strs of at most
    ``max_len`` characters (``WANT_STR``) or plain values of at most ``max_len`` encoded bytes
    (``WANT_VALUE``), or failures; anything else is a protocol violation."""
    want_str = want == WANT_STR
    items: list = []
    size = len(data)
    for _ in range(count):
        if pos >= size:
            raise Violation("a truncated reply")
        tag = data[pos]
        pos += 1
        if tag <= proto.TAG_TRUE:
            if want != WANT_BOOL:
                raise Violation("a bool where a str was due")
            items.append(tag == proto.TAG_TRUE)
        elif tag == proto.TAG_VALUE:
            if want != WANT_VALUE or pos + 4 > size:
                raise Violation("a malformed value item")
            n = proto.LEN.unpack_from(data, pos)[0]
            pos += 4
            if n > max_len or pos + n > size:
                raise Violation("an oversized value")
            try:
                items.append(codec.decode(memoryview(data)[pos:pos + n]))
            except (codec.ValueRefused, RecursionError) as error:
                raise Violation(f"a malformed value ({error})") from None
            pos += n
        elif tag == proto.TAG_STR:
            if pos + 4 > size:
                raise Violation("a truncated reply")
            n = proto.LEN.unpack_from(data, pos)[0]
            pos += 4
            if not want_str or n > 4 * max_len or pos + n > size:
                raise Violation("a malformed string item")
            try:
                text = data[pos:pos + n].decode("utf-8", "surrogatepass")
            except UnicodeDecodeError:
                raise Violation("a string that is not UTF-8") from None
            if len(text) > max_len:
                raise Violation("an oversized string")
            items.append(text)
            pos += n
        elif tag == proto.TAG_FAIL:
            if pos + 5 > size:
                raise Violation("a truncated reply")
            code = data[pos]
            n = proto.LEN.unpack_from(data, pos + 1)[0]
            pos += 5
            if not 1 <= code <= len(proto.KINDS) or n > 4 * proto.MAX_MESSAGE_CHARS or (
                    pos + n > size):
                raise Violation("a malformed failure item")
            message = data[pos:pos + n].decode("utf-8", "replace")[:proto.MAX_MESSAGE_CHARS]
            items.append(CallFailure(proto.KINDS[code - 1], message))
            pos += n
        else:
            raise Violation(f"an unknown item tag {tag}")
    if pos != size:
        raise Violation("trailing bytes in a reply")
    return items


def texts(texts: list[str], counted: bool = False) -> list[bytes]:
    parts: list[bytes] = [proto.LEN.pack(len(texts))] if counted else []
    for text in texts:
        encode_text(text, parts)
    return parts


def parse_setup(data: bytes) -> tuple[dict[str, bool], dict[str, str]]:
    """The SETUP frame: ``(active, details)`` — whether each layer is active, and the detail
    (for an active layer) or the reason (for a missing one) where the worker gave one."""
    if len(data) < proto.REPLY_HEAD.size:
        raise Violation("a short reply")
    kind, _rid, _start, n, _flags = proto.REPLY_HEAD.unpack_from(data)
    if kind != proto.FRAME_SETUP or n != 1:
        raise Violation("an unexpected frame")
    report = parse_items(data, proto.REPLY_HEAD.size, 1, WANT_STR, MAX_SETUP_CHARS)[0]
    if not isinstance(report, str):
        raise Violation("a malformed setup report")
    active: dict[str, bool] = {}
    details: dict[str, str] = {}
    for line in filter(None, report.split("\n")):
        key, _, rest = line.partition("=")
        value, _, detail = rest.partition(":")
        if not key.isidentifier() or value not in ("0", "1"):
            raise Violation("a malformed setup report")
        active[key] = value == "1"
        if detail:
            details[key] = detail
    return active, details


def parse_loaded(data: bytes) -> CallFailure | frozenset[str]:
    """The LOADED frame: a failure, or True and the names of the callable harness functions."""
    if len(data) < proto.REPLY_HEAD.size:
        raise Violation("a short reply")
    kind, _rid, _start, n, _flags = proto.REPLY_HEAD.unpack_from(data)
    if kind != proto.FRAME_LOADED or n not in (1, 2):
        raise Violation("an unexpected frame")
    if n == 1:
        result = parse_items(data, proto.REPLY_HEAD.size, 1, WANT_BOOL, 4000)[0]
        if not isinstance(result, CallFailure):
            raise Violation("an unexpected frame")
        return result
    pos = proto.REPLY_HEAD.size
    if data[pos] != proto.TAG_TRUE:
        raise Violation("an unexpected frame")
    names = parse_items(data, pos + 1, 1, WANT_STR, 4000)[0]
    if not isinstance(names, str):
        raise Violation("an unexpected frame")
    defined = frozenset(filter(None, names.split(",")))
    if not defined <= set(proto.CALLABLE_FUNCTIONS):
        raise Violation("an unknown function in the load report")
    return defined
