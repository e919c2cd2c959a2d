"""The wire protocol between the host and a sandbox worker, and the result checks both sides
share (also used by ``InProcessHarness``).

Standard library only: the worker loads this file by path. Framing (little-endian; every frame is
``u32 length`` + payload). Requests: ``u8 op, u32 id, u8 flags``, then for propose/eval the
observation (unless flag 1, "same observation as before", is set) and the actions, strings as
``u32 n`` + UTF-8 (surrogatepass); a generic call (``OP_CALL``) sends the function name, ``u32
count`` and per item ``u32 n`` + its arguments encoded by ``codec.py``; ``OP_PROPOSE_REPEAT``
sends the observation (or flag 1) and ``u32 count``: propose ``count`` times for it (a
proposer's samples at one position cost one copy of the observation, not ``count``).
Replies: ``u8 type, u32 id, u32 start, u32 count, u8 flags`` then ``count`` items: ``0``/``1``
(bool), ``2 u32 n bytes`` (str), ``3 u8 kind u32 n bytes`` (failure), ``4 u32 n bytes`` (a codec
value). Reply flags: 1 = last chunk of this request, 2 = please respawn me (timeout, MemoryError).
Long batches are sent in chunks as they progress, so a hard kill loses at most the last few
milliseconds of results.

The SETUP frame (sent before any harness code runs, so harness code cannot forge it) carries one
line per layer, ``name=1`` or ``name=0:reason``; LOADED carries ``True`` and the comma-separated
names of the callable harness functions, or the load failure.
"""

from __future__ import annotations

import struct

# ---- protocol, shared with runtime.py -------------------------------------------------------

OP_PROPOSE, OP_EVAL, OP_EVAL_MANY, OP_PROPOSE_MANY, OP_CALL, OP_PROPOSE_REPEAT = 1, 2, 3, 4, 5, 6
#: Requests that start with the observation (or carry FLAG_SAME_OBS instead).
OBS_OPS = frozenset({OP_PROPOSE, OP_EVAL, OP_EVAL_MANY, OP_PROPOSE_REPEAT})
FLAG_SAME_OBS = 1
FRAME_SETUP, FRAME_LOADED, FRAME_RESULTS = ord("S"), ord("L"), ord("R")
TAG_FALSE, TAG_TRUE, TAG_STR, TAG_FAIL, TAG_VALUE = 0, 1, 2, 3, 4
KINDS = ("timeout", "crash", "bad_return", "exception", "too_large", "blocked", "slow",
         "missing")
#: Harness functions reachable through the generic call (``call(name, *args)``).
CALLABLE_FUNCTIONS = (
    "propose_action", "eval_action", "choose_action", "parse_state", "legal_actions", "apply",
    "current_player", "is_terminal", "returns", "sample_state", "value", "plan",
)
KIND_CODES = {kind: code for code, kind in enumerate(KINDS, start=1)}
REPLY_FINAL, REPLY_RESPAWN = 1, 2
LEN = struct.Struct("<I")
REQUEST_HEAD = struct.Struct("<BIB")
REPLY_HEAD = struct.Struct("<BIIIB")
MAX_MESSAGE_CHARS = 2000
FLUSH_INTERVAL = 0.005  # seconds between progress chunks of a long batch


class Fail:
    """A failed call, as the worker (and ``InProcessHarness``) represents it."""

    __slots__ = ("kind", "message", "respawn")

    def __init__(self, kind: str, message: str, respawn: bool = False) -> None:
        self.kind, self.message, self.respawn = kind, message, respawn


class SoftTimeout(BaseException):
    """Raised into harness code by the SIGALRM handler (``BaseException``: ``except Exception``
    in the harness does not swallow it)."""


# ---- result checks and messages (also used by InProcessHarness) -----------------------------


# Builtins used after harness code has run are bound as default arguments: a harness that
# patches the real ``builtins`` module (it can reach it) does not change what these functions do.


def _clip(text: str, limit: int = MAX_MESSAGE_CHARS, _len=len) -> str:
    return text if _len(text) <= limit else text[: limit - 15] + " [... clipped]"


def _type_name(value: object, _type=type, _qualname=type.__dict__["__qualname__"]) -> str:
    try:
        return _clip(_qualname.__get__(_type(value)), 80)
    except Exception:
        return "object"


def check_propose(value: object, max_len: int, _type=type, _issubclass=issubclass, _str=str,
                  _len=len) -> str | Fail:
    if not _issubclass(_type(value), _str):  # not isinstance: a fake __class__ would pass that
        return Fail("bad_return", f"propose_action returned {_type_name(value)}, not str")
    if _type(value) is not _str:
        value = _str.__str__(value)  # an exact str copy of a str subclass
    if _len(value) > max_len:
        return Fail("too_large", f"propose_action returned {_len(value)} characters; the limit "
                                 f"is {max_len}")
    return value


def check_eval(value: object, numpy_bool: type | None, _type=type, _bool=bool) -> bool | Fail:
    if value is True or value is False:
        return value
    if numpy_bool is not None and _type(value) is numpy_bool:
        return _bool(value)
    return Fail("bad_return", f"eval_action returned {_type_name(value)}, not bool")


def describe_exception(error: BaseException, filename: str, max_frames: int = 4) -> str:
    """The traceback trimmed to the harness's own frames (at most ``max_frames``, the innermost)
    plus the exception line, clipped."""
    import traceback

    try:
        frames = [(frame, line) for frame, line in traceback.walk_tb(error.__traceback__)
                  if frame.f_code.co_filename == filename]
        shown = frames[-max_frames:]
        lines = traceback.StackSummary.extract(iter(shown), lookup_lines=True).format()
        if len(frames) > len(shown):
            lines.insert(0, f"  [... {len(frames) - len(shown)} more harness frames]\n")
    except Exception:
        lines = []
    try:
        lines += traceback.format_exception_only(type(error), error)
    except BaseException:  # a hostile __str__
        lines.append(f"{_type_name(error)}: <unprintable>\n")
    text = "".join(lines).rstrip()
    if len(text) > MAX_MESSAGE_CHARS:
        text = "[...]\n" + text[-(MAX_MESSAGE_CHARS - 6):]
    return text


def exception_failure(error: BaseException, filename: str, _isinstance=isinstance,
                      _memory_error=MemoryError) -> Fail:
    message = describe_exception(error, filename)
    if _isinstance(error, _memory_error):
        return Fail("exception", f"{message}\n(memory limit reached)", respawn=True)
    return Fail("exception", message)


# ---- encoding -------------------------------------------------------------------------------


def encode_item(value: object, _pack=LEN.pack, _type=type, _fail=Fail, _str=str, _len=len,
                _bytes=bytes, _encode=str.encode, _code=KIND_CODES.get) -> bytes:
    """An item of a reply: a bool, a str, a failure, or (bytes) an encoded plain value."""
    if value is True:
        return b"\x01"
    if value is False:
        return b"\x00"
    if _type(value) is _bytes:
        return b"\x04" + _pack(_len(value)) + value
    if _type(value) is _fail:
        data = _encode(_clip(_str(value.message)), "utf-8", "surrogatepass")
        return _bytes((TAG_FAIL, _code(value.kind, 2))) + _pack(_len(data)) + data
    data = _encode(value, "utf-8", "surrogatepass")
    return b"\x02" + _pack(_len(data)) + data


def frame(kind: int, rid: int, start: int, items: list[bytes], flags: int,
          _head=REPLY_HEAD.pack, _pack=LEN.pack, _len=len, _join=b"".join) -> bytes:
    body = _head(kind, rid, start, _len(items), flags) + _join(items)
    return _pack(_len(body)) + body



def value_checker(name: str, limit: int, numpy_scalars: tuple, codec):
    """The check of a generic call's result: its encoding (bytes), or a Fail."""
    encode, refused, _fail = codec.encode, codec.ValueRefused, Fail

    def check(value):
        try:
            return encode(value, limit, numpy_scalars)
        except refused as error:
            kind = "too_large" if "larger than" in str(error) else "bad_return"
            return _fail(kind, f"{name} returned {error}")
        except RecursionError:
            return _fail("bad_return", f"{name} returned a value nested too deep")
    return check




_NUMPY_SCALARS = ("bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                  "uint64", "float16", "float32", "float64")


def numpy_scalar_types(numpy) -> tuple:
    """numpy's scalar types (converted to Python scalars by the codec); () without numpy."""
    if numpy is None:
        return ()
    return tuple(t for t in (getattr(numpy, n, None) for n in _NUMPY_SCALARS)
                 if type(t) is type)


def setup_report(layers: dict) -> str:
    """The SETUP frame's text: one ``name=1[:detail]`` / ``name=0:reason`` line per layer
    (``layers`` maps a name to ``(active, detail)``)."""
    lines = []
    for name, (active, detail) in layers.items():
        text = str(detail or "").replace("\n", " ")[:300]
        lines.append(f"{name}={int(bool(active))}" + (f":{text}" if text else ""))
    return "\n".join(lines)


#: The kernel layers ``--require-isolation`` insists on; ``filesystem`` is a private root or
#: Landlock (either confines reads; both are normal).
REQUIRED_LAYERS = ("pidns", "netns", "filesystem", "uid", "no_new_privs", "pdeathsig", "seccomp",
                   "rlimit_nproc", "rlimit_nofile", "host_nondumpable")


def missing_layers(active: dict, details: dict, skip: tuple = ()) -> dict:
    """The required kernel layers that are missing (``active``: layer -> bool), each with the
    reason from ``details``."""
    missing = {}
    for layer in REQUIRED_LAYERS:
        if layer in skip:
            continue
        if layer == "filesystem":
            if not (active.get("mountns") or active.get("landlock")):
                missing[layer] = (f"neither a private root ({details.get('mountns', '?')}) "
                                  f"nor Landlock ({details.get('landlock', '?')})")
        elif not active.get(layer):
            missing[layer] = details.get(layer) or "not active"
    return missing
