"""``autoharness show MATCH.jsonl``: replay a match log (written by ``play``) move by move, with
the board after each move where the observation draws one."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from autoharness.cli_support import fail


def read_match_log(path: Path) -> list[dict]:
    """The log's records; a one-line error (exit 2) for a file that is not a match log."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"no match log at {path}")
    except IsADirectoryError:
        fail(f"{path} is a folder, not a match log")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"cannot read {path}: {getattr(error, 'strerror', None) or error}")
    records = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            fail(f"{path} line {number} is not JSON ({error.msg}); is it a match log from "
                 "`autoharness play`?")
        if not isinstance(record, dict) or "type" not in record:
            fail(f"{path} line {number} is not a match-log record")
        records.append(record)
    if not records or records[0].get("type") != "match":
        fail(f"{path} is not a match log (it does not start with a match header)")
    return records


def show_match(path: Path, as_json: bool, boards: bool = True) -> None:
    from autoharness.play.render import describe_game, describe_move

    records = read_match_log(path)
    if as_json:
        typer.echo(json.dumps(records, indent=1))
        return
    header = records[0]
    opponent = f" vs {header['opponent']}" if header.get("opponent") else ""
    typer.echo(f"{header.get('game')}: {header.get('agent')}{opponent} · harness "
               f"{header.get('harness') or 'none'} ({header.get('mode')}) · "
               f"{header.get('games')} game(s) from seed {header.get('seed')}")
    total = header.get("games")
    for record in records[1:]:
        if record["type"] == "move":
            typer.echo(describe_move(record))
            if boards and record.get("board"):
                typer.echo(_indent(record["board"]))
        elif record["type"] == "game":
            typer.echo(describe_game(record, total))
            typer.echo("")


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())
