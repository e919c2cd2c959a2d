"""The plain-value codec of the generic harness call (``call(name, *args)``).

Standard library only: the worker loads this file by path. Values are ``None``, ``bool``, ``int``,
``float``, ``str``, ``bytes``, ``list``, ``tuple`` and ``dict`` (keys: hashable plain values),
nested. Exact types only (a subclass could run harness code while being encoded); numpy scalars
become the matching Python scalar. Tuples stay tuples. The decoder is strict: bounds-checked,
depth- and size-limited, it builds nothing but these types — it is what the host runs on bytes
from an untrusted worker (never pickle or marshal).

Format (little-endian): one tag byte, then ``N`` None, ``T``/``F`` bools, ``i`` i64, ``I`` u32 n +
n bytes of a signed big integer, ``f`` f64, ``s`` u32 n + UTF-8 (surrogatepass), ``b`` u32 n +
bytes, ``l``/``t`` u32 count + items, ``d`` u32 count + key, value pairs.

Dict keys are hashed by the host as it decodes. Integer hashes are not randomised, so a worker
can send keys that all hash alike (multiples of 2**61 - 1, tuples solved for one hash), which
makes building the dict quadratic: a 1 MiB reply would hold the host for minutes, far past any
call timeout. The decoder counts each key's hash first and refuses a dict with more than
``MAX_SAME_HASH`` keys of one hash (plain data never comes close).
"""

from __future__ import annotations

import struct

MAX_DEPTH = 48
MAX_INT_BYTES = 1024
MAX_SAME_HASH = 64  # dict keys sharing one hash value (floats 2**e, e = c mod 61: about 34)
_I64 = struct.Struct("<q")
_F64 = struct.Struct("<d")
_U32 = struct.Struct("<I")
_HASHABLE_KEYS = (type(None), bool, int, float, str, bytes, tuple)


class ValueRefused(ValueError):
    """The value is not a plain value, or is too large or too deep."""


def encode(value: object, limit: int, numpy_scalars: tuple = (), _type=type, _len=len,
           _isinstance=isinstance, _i64=_I64.pack, _f64=_F64.pack, _u32=_U32.pack,
           _str_encode=str.encode, _dict_items=dict.items, _int_bytes=int.to_bytes,
           _bit_length=int.bit_length, _enumerate=enumerate, _hash=hash,
           _qualname=type.__dict__["__qualname__"]) -> bytes:
    """``value`` encoded, at most ``limit`` bytes; raises ``ValueRefused`` with where and why.
    Builtins are bound as defaults: harness code patching modules cannot change this."""
    out: list[bytes] = []
    size = 0

    def add(chunk: bytes) -> None:
        nonlocal size
        size += _len(chunk)
        if size > limit:
            raise ValueRefused(f"the value is larger than {limit} bytes")
        out.append(chunk)

    def walk(item: object, depth: int, where: str, key: bool = False) -> None:
        kind = _type(item)
        if kind in numpy_scalars:
            item = item.item()  # exact numpy scalar types: their .item() is numpy's own
            kind = _type(item)
        if item is None:
            add(b"N")
        elif item is True:
            add(b"T")
        elif item is False:
            add(b"F")
        elif kind is int:
            if -(1 << 63) <= item < (1 << 63):
                add(b"i" + _i64(item))
            else:
                n = (_bit_length(item) + 8) // 8
                if n > MAX_INT_BYTES:
                    raise ValueRefused(f"an integer of {n} bytes at {where}")
                add(b"I" + _u32(n) + _int_bytes(item, n, "little", signed=True))
        elif kind is float:
            add(b"f" + _f64(item))
        elif kind is str:
            data = _str_encode(item, "utf-8", "surrogatepass")
            add(b"s" + _u32(_len(data)))
            add(data)
        elif kind is bytes:
            add(b"b" + _u32(_len(item)))
            add(item)
        elif kind is tuple or (kind is list and not key) or (kind is dict and not key):
            if depth >= MAX_DEPTH:
                raise ValueRefused(f"the value is nested deeper than {MAX_DEPTH} at {where}")
            if kind is dict:
                add(b"d" + _u32(_len(item)))
                hashes: dict[int, int] = {}
                for k, v in _dict_items(item):
                    walk(k, depth + 1, f"{where} key", key=True)
                    code = _hash(k)  # a plain key (checked by walk): no harness code runs
                    same = hashes[code] = hashes.get(code, 0) + 1
                    if same > MAX_SAME_HASH:
                        raise ValueRefused(f"more than {MAX_SAME_HASH} keys with one hash in "
                                           f"the dict at {where} (the host would take "
                                           "quadratic time to rebuild it)")
                    walk(v, depth + 1, f"{where}[{k!r:.40}]" if _type(k) in (str, int) else
                         f"{where}[...]")
                return
            add((b"t" if kind is tuple else b"l") + _u32(_len(item)))
            for index, element in _enumerate(item):
                walk(element, depth + 1, f"{where}[{index}]", key)
        else:
            try:
                name = _qualname.__get__(kind)
            except Exception:
                name = "object"
            what = "a dict key" if key else "a value"
            raise ValueRefused(f"{what} of type {name[:60]} at {where}; plain values only "
                               "(None, bool, int, float, str, bytes, list, tuple, dict)")

    walk(value, 0, "the top")
    return b"".join(out)


class _Reader:
    __slots__ = ("data", "pos", "end")

    def __init__(self, data: bytes | memoryview) -> None:
        self.data, self.pos, self.end = data, 0, len(data)

    def take(self, n: int) -> bytes | memoryview:
        start = self.pos
        if n < 0 or start + n > self.end:
            raise ValueRefused("a truncated value")
        self.pos = start + n
        return self.data[start:start + n]

    def count(self) -> int:
        return _U32.unpack(self.take(4))[0]


def decode(data: bytes | memoryview) -> object:
    """The value encoded in ``data`` (all of it); raises ``ValueRefused`` on anything
    malformed: an unknown tag, truncation, trailing bytes, invalid UTF-8, an unhashable key, a
    count larger than the bytes left, nesting past ``MAX_DEPTH``."""
    reader = _Reader(data)
    value = _read(reader, 0)
    if reader.pos != reader.end:
        raise ValueRefused("trailing bytes after a value")
    return value


def _read(reader: _Reader, depth: int) -> object:
    tag = reader.take(1)[0]
    if tag == 0x4E:  # N
        return None
    if tag == 0x54:  # T
        return True
    if tag == 0x46:  # F
        return False
    if tag == 0x69:  # i
        return _I64.unpack(reader.take(8))[0]
    if tag == 0x66:  # f
        return _F64.unpack(reader.take(8))[0]
    if tag == 0x49:  # I
        n = reader.count()
        if n > MAX_INT_BYTES:
            raise ValueRefused("an oversized integer")
        return int.from_bytes(reader.take(n), "little", signed=True)
    if tag == 0x73:  # s
        raw = reader.take(reader.count())
        try:
            return bytes(raw).decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            raise ValueRefused("a string that is not UTF-8") from None
    if tag == 0x62:  # b
        return bytes(reader.take(reader.count()))
    if tag in (0x6C, 0x74, 0x64):  # l t d
        if depth >= MAX_DEPTH:
            raise ValueRefused("a value nested too deep")
        n = reader.count()
        if n > reader.end - reader.pos:  # every item takes at least one byte
            raise ValueRefused("a count larger than the value")
        if tag == 0x64:
            result: dict = {}
            hashes: dict[int, int] = {}  # hash -> keys with it (distinct ints: no pile-up)
            for _ in range(n):
                key = _read(reader, depth + 1)
                if type(key) not in _HASHABLE_KEYS or (type(key) is tuple
                                                       and not _hashable(key)):
                    raise ValueRefused("an unhashable dict key")
                code = hash(key)
                same = hashes[code] = hashes.get(code, 0) + 1
                if same > MAX_SAME_HASH:
                    raise ValueRefused(f"more than {MAX_SAME_HASH} dict keys with one hash")
                result[key] = _read(reader, depth + 1)
            return result
        items = [_read(reader, depth + 1) for _ in range(n)]
        return tuple(items) if tag == 0x74 else items
    raise ValueRefused(f"an unknown value tag {tag}")


def _hashable(value: tuple) -> bool:
    return all(type(item) in _HASHABLE_KEYS and (type(item) is not tuple or _hashable(item))
               for item in value)


def round_trip(value: object, limit: int, numpy_scalars: tuple = ()) -> object:
    """``decode(encode(value))``: a plain copy, as the sandbox would deliver it."""
    return decode(encode(value, limit, numpy_scalars))
