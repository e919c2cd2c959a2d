"""The worker's side once it is confined: load the harness, then answer requests until EOF.

Standard library only; the worker loads this file by path. Every call runs under a soft
wall-clock timer (``SIGALRM`` raising a ``BaseException``); the host SIGKILLs the worker if even
that fails (signals ignored, a long C call). Results are checked here — propose → ``str`` of at
most ``max_action_len`` characters, eval → ``bool`` (numpy ``bool_`` converted), generic calls →
plain values encoded by ``codec`` — and an oversized result is never shipped. The host re-checks
everything: this process is untrusted once harness code has run.

Builtins and helpers used after harness code has run are bound as default arguments, so harness
code patching modules does not change what the loop does (an advisory nicety: the kernel layers
are the boundary, and the host trusts no byte of the replies).
"""

from __future__ import annotations

import os
import signal
import time


class Channel:
    """The worker's ends of the request and reply pipes."""

    def __init__(self, request_fd: int, reply_fd: int, length) -> None:
        self.request_fd, self.reply_fd = request_fd, reply_fd
        self.buffer = bytearray()
        self.unpack = length.unpack_from

    def read_frame(self, _read=os.read, _len=len, _bytes=bytes,
                   _memoryview=memoryview) -> memoryview | None:
        """The next request frame's payload, None at EOF. Usually one read and no copy."""
        buffer, unpack = self.buffer, self.unpack
        while True:
            if _len(buffer) >= 4:
                size = unpack(buffer)[0]
                if _len(buffer) >= 4 + size:
                    data = _bytes(buffer[4:4 + size])
                    del buffer[:4 + size]
                    return _memoryview(data)
            chunk = _read(self.request_fd, 65536)
            if not chunk:
                return None
            if not buffer and _len(chunk) >= 4 and _len(chunk) == 4 + unpack(chunk)[0]:
                return _memoryview(chunk)[4:]  # the common case: exactly one frame
            buffer += chunk

    def send(self, data: bytes, _write=os.write, _len=len, _memoryview=memoryview) -> None:
        view, sent = _memoryview(data), 0
        while sent < _len(data):
            sent += _write(self.reply_fd, view[sent:])


def make_runner(protocol, filename: str, blocked: list):
    """``run(fn, args, check, limit)``: one harness call under the soft timer, a value or a
    ``protocol.Fail``. ``blocked`` collects the Python-level refusals of the call."""
    in_call = [False]
    soft_timeout, fail, clip = protocol.SoftTimeout, protocol.Fail, protocol._clip
    exception_failure = protocol.exception_failure

    def on_alarm(signum, frame_):
        if in_call[0]:
            in_call[0] = False
            raise soft_timeout()

    signal.signal(signal.SIGALRM, on_alarm)
    setitimer, real_timer = signal.setitimer, signal.ITIMER_REAL

    def run(fn, args, check, limit, _len=len, _base=BaseException):
        blocked.clear()
        try:
            try:
                in_call[0] = True
                setitimer(real_timer, limit)
                try:
                    result = check(fn(*args))
                except soft_timeout:
                    raise
                except _base as error:
                    result = exception_failure(error, filename)
            finally:
                in_call[0] = False
                setitimer(real_timer, 0)
        except soft_timeout:
            return fail("timeout", f"the call took longer than {limit:g} s", respawn=True)
        if blocked:
            return fail("blocked", f"the sandbox refused: {clip(blocked[0], 300)}"
                        + (f" (and {_len(blocked) - 1} more)" if _len(blocked) > 1 else ""))
        return result

    return run


def load_and_serve(protocol, codec, channel: Channel, init: dict, code, compile_error,
                   harness_globals: dict, run, numpy) -> None:
    """Run the harness module under the load timeout, send LOADED, then serve."""
    fail, frame, encode_item = protocol.Fail, protocol.frame, protocol.encode_item
    filename = init["filename"]
    _type, _callable = type, callable  # module-level harness code may patch the builtins
    if code is None:
        loaded: object = fail("exception", protocol.describe_exception(compile_error, filename))
    else:
        def load() -> bool:
            exec(code, harness_globals)
            return True
        loaded = run(load, (), lambda value: value, float(init["load_timeout"]))
        if loaded is True:
            missing = [n for n in ("propose_action", "eval_action")
                       if not _callable(dict.get(harness_globals, n))]
            if missing:
                loaded = fail("exception", f"the harness defines no callable {missing[0]}")
    if _type(loaded) is fail:
        loaded.message = "harness failed to load: " + loaded.message
        channel.send(frame(protocol.FRAME_LOADED, 0, 0, [encode_item(loaded)],
                           protocol.REPLY_FINAL))
        os._exit(0)
    functions = {name: dict.get(harness_globals, name) for name in protocol.CALLABLE_FUNCTIONS}
    functions = {name: fn for name, fn in functions.items() if _callable(fn)}
    channel.send(frame(protocol.FRAME_LOADED, 0, 0, [encode_item(True),
                                                     encode_item(",".join(functions))],
                       protocol.REPLY_FINAL))
    numpy_bool = getattr(numpy, "bool_", None)
    scalars = protocol.numpy_scalar_types(numpy)
    limit = int(init["max_value_bytes"])
    callables = {name: (fn, protocol.value_checker(name, limit, scalars, codec))
                 for name, fn in functions.items()}
    max_len, check_propose, check_eval = (int(init["max_action_len"]), protocol.check_propose,
                                          protocol.check_eval)

    def check_action(value, _max=max_len):
        return check_propose(value, _max)

    def check_verdict(value, _nb=numpy_bool):
        return check_eval(value, _nb)

    serve(protocol, channel, functions["propose_action"], functions["eval_action"],
          check_action, check_verdict, run, float(init["timeout"]), callables, codec.decode)


def _text(data: memoryview, pos: int, unpack, _str=str) -> tuple[str, int]:
    """The string at ``pos`` of a request, and the position after it."""
    n = unpack(data, pos)[0]
    return _str(data[pos + 4: pos + 4 + n], "utf-8", "surrogatepass"), pos + 4 + n


def serve(protocol, channel, propose, evaluate, check_action, check_verdict, run, timeout,
          callables, decode_value, _text=_text, _len=len, _type=type, _exit=os._exit,
          _range=range, _enumerate=enumerate, _monotonic=time.monotonic) -> None:
    """The request loop: decode, run each item under ``run``, reply in chunks."""
    p = protocol
    unpack_head, head_size, unpack_len = p.REQUEST_HEAD.unpack_from, p.REQUEST_HEAD.size, \
        p.LEN.unpack_from
    encode, frame, fail = p.encode_item, p.frame, p.Fail
    op_propose, op_eval, op_eval_many, op_propose_many, op_call, op_propose_repeat = (
        p.OP_PROPOSE, p.OP_EVAL, p.OP_EVAL_MANY, p.OP_PROPOSE_MANY, p.OP_CALL,
        p.OP_PROPOSE_REPEAT)
    obs_ops = p.OBS_OPS
    same_obs, results_frame, final, respawn_flag = (p.FLAG_SAME_OBS, p.FRAME_RESULTS,
                                                    p.REPLY_FINAL, p.REPLY_RESPAWN)
    flush_interval = p.FLUSH_INTERVAL
    last_obs = ""
    while True:
        data = channel.read_frame()
        if data is None:
            _exit(0)
        op, rid, flags = unpack_head(data, 0)
        pos = head_size
        if op in obs_ops and not flags & same_obs:
            last_obs, pos = _text(data, pos, unpack_len)
        if op == op_propose:
            calls = [(propose, (last_obs,), check_action)]
        elif op == op_eval:
            action, pos = _text(data, pos, unpack_len)
            calls = [(evaluate, (last_obs, action), check_verdict)]
        elif op == op_propose_repeat:
            count = unpack_len(data, pos)[0]
            calls = [(propose, (last_obs,), check_action)] * count
        elif op in (op_eval_many, op_propose_many):
            count = unpack_len(data, pos)[0]
            pos += 4
            calls = []
            for _ in _range(count):
                item, pos = _text(data, pos, unpack_len)
                calls.append((evaluate, (last_obs, item), check_verdict) if op == op_eval_many
                             else (propose, (item,), check_action))
        elif op == op_call:
            name, pos = _text(data, pos, unpack_len)
            fn, check = callables[name]
            count = unpack_len(data, pos)[0]
            pos += 4
            calls = []
            for _ in _range(count):
                n = unpack_len(data, pos)[0]
                calls.append((fn, decode_value(data[pos + 4: pos + 4 + n]), check))
                pos += 4 + n
        else:
            _exit(3)
        pending: list[bytes] = []
        start, respawn = 0, False
        last_flush = _monotonic()
        for index, (fn, args, check) in _enumerate(calls):
            if pending and _monotonic() - last_flush >= flush_interval:
                channel.send(frame(results_frame, rid, start, pending, 0))
                start += _len(pending)
                pending = []
                last_flush = _monotonic()
            result = run(fn, args, check, timeout)
            if _type(result) is fail and result.respawn:
                respawn = True
                if result.kind == "timeout":
                    pending.append(encode(result))
                    skipped = encode(fail("timeout", "not run: an earlier call of the batch "
                                                     "timed out"))
                    pending.extend(skipped for _ in _range(_len(calls) - index - 1))
                    break
            pending.append(encode(result))
        channel.send(frame(results_frame, rid, start, pending,
                           final | (respawn_flag if respawn else 0)))
