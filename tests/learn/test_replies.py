"""A corpus of replies as models write them, and what the learner makes of each: the program, or
the one-line reason the next prompt gives the model (line numbers in the model's own code)."""

from __future__ import annotations

import ast

import pytest

from autoharness.learn.candidate import (
    CandidateError,
    checked_source,
    code_offset,
    code_part,
    compose_source,
    extract_code,
    relative_traceback,
)

GAME = "TicTacToe-v0"
PROGRAM = '''import random
import re


def _free(obs):
    return [int(c) for c in re.findall(r"\\[(\\d)\\]", obs)] or list(range(9))


def propose_action(obs: str) -> str:
    return f"[{random.choice(_free(obs))}]"


def eval_action(obs: str, action: str) -> bool:
    return action.strip() in {f"[{i}]" for i in _free(obs)}
'''


def fence(code: str, tag: str = "python", close: bool = True) -> str:
    return f"```{tag}\n{code}" + ("```\n" if close else "")


PROSE_WITH_CODE = ("I looked at the failures: occupied cells were proposed. Here is the fix.\n\n"
                   + fence(PROGRAM) + "\nThis keeps eval_action strict.")
WRONG_FENCES = {
    "Python": fence(PROGRAM, "Python"),
    "py": fence(PROGRAM, "py"),
    "python3": fence(PROGRAM, "python3"),
    "bare": fence(PROGRAM, ""),
    "tilde": f"~~~python\n{PROGRAM}~~~\n",
    "wrong language": fence(PROGRAM, "javascript"),
    "CRLF": fence(PROGRAM).replace("\n", "\r\n"),
    "no closing fence": "Here it is:\n" + fence(PROGRAM, close=False),
}
TWO_BLOCKS_EXAMPLE_LAST = (fence(PROGRAM) + "\nUsage example:\n"
                           + fence('print(propose_action("[0] [1]"))'))
TWO_BLOCKS_SPLIT = ("First the helpers:\n" + fence(PROGRAM.split("def propose_action")[0])
                    + "Then the two functions:\n"
                    + fence("def propose_action" + PROGRAM.split("def propose_action")[1]))
CUT_MID_FUNCTION = "Here is the program:\n" + fence(PROGRAM[: PROGRAM.index("return action")]
                                                    + "return act", close=False)
CUT_AFTER_COMPLETE_PROGRAM = "Program:\n" + fence(PROGRAM + "\n\n# a note that never fini",
                                                 close=False)
APOLOGY = "I'm sorry, but I can't determine the rules from this observation alone."


def program_of(reply: str, truncated: bool = False) -> str:
    return code_part(checked_source(GAME, reply, {"method": "learned"}, truncated=truncated))


def test_prose_with_code_gives_the_program():
    assert program_of(PROSE_WITH_CODE).strip() == PROGRAM.strip()


@pytest.mark.parametrize("name", sorted(WRONG_FENCES))
def test_fence_variants_crlf_and_a_missing_closing_fence(name):
    code = program_of(WRONG_FENCES[name])
    assert code.strip() == PROGRAM.strip() and "\r" not in code


def test_two_blocks_take_the_one_with_both_functions():
    assert program_of(TWO_BLOCKS_EXAMPLE_LAST).strip() == PROGRAM.strip()


def test_a_program_split_over_two_blocks_is_joined():
    code = program_of(TWO_BLOCKS_SPLIT)
    ast.parse(code)
    assert "def _free" in code and "def propose_action" in code and "def eval_action" in code


def test_a_truncated_reply_whose_code_is_complete_is_used():
    code = program_of(CUT_AFTER_COMPLETE_PROGRAM, truncated=True)
    assert "never fini" not in code and "def eval_action" in code


def test_code_cut_off_mid_function_says_so():
    with pytest.raises(CandidateError) as caught:
        program_of(CUT_MID_FUNCTION, truncated=True)
    message = str(caught.value)
    assert "cut off at the output cap" in message and "shorter" in message


def test_an_apology_with_no_code():
    with pytest.raises(CandidateError, match=r"no ```python code block .*I'm sorry"):
        program_of(APOLOGY)


def test_a_bare_program_without_fences_is_taken():
    assert program_of(PROGRAM).strip() == PROGRAM.strip()


def test_syntax_error_line_counts_the_models_code_not_our_header():
    broken = PROGRAM.replace("def eval_action(obs: str, action: str) -> bool:",
                             "def eval_action(obs: str, action: str) -> bool")
    line = broken.splitlines().index("def eval_action(obs: str, action: str) -> bool") + 1
    with pytest.raises(CandidateError) as caught:
        program_of(fence(broken))
    message = str(caught.value)
    assert message.startswith(f"line {line}: syntax error")
    assert f"{line} | def eval_action" in message


def test_missing_function_and_disallowed_import():
    without_eval = PROGRAM.split("def eval_action")[0]
    with pytest.raises(CandidateError, match="no module-level `def eval_action"):
        program_of(fence(without_eval))
    with_os = "import os\n" + PROGRAM
    with pytest.raises(CandidateError, match=r"^line 1: import of 'os' is not allowed"):
        program_of(fence(with_os))


def test_card_constants_copied_by_the_model_keep_line_numbers():
    copied = "GAMES = ['X']\nVERIFIED = {'a': 1}\n" + PROGRAM
    source = compose_source(GAME, copied, {"method": "learned"})
    code = code_part(source)
    assert "GAMES = ['X']" not in code and code.splitlines()[2:] == PROGRAM.splitlines()


def test_traceback_lines_are_relative_to_the_models_code():
    source = compose_source(GAME, PROGRAM, {"method": "learned"})
    offset = code_offset(source)
    assert source.splitlines()[offset] == PROGRAM.splitlines()[0]
    text = f'File "node-4", line {offset + 10}, in propose_action\nFile "other", line 3'
    shifted = relative_traceback(text, "node-4", offset)
    assert 'File "your program", line 10, in propose_action' in shifted
    assert 'File "other", line 3' in shifted


def test_extract_code_prefers_python_blocks_over_text_blocks():
    reply = "```text\n[GAME] board\n```\n" + fence(PROGRAM)
    assert extract_code(reply).strip() == PROGRAM.strip()


def test_every_prompt_is_redacted_and_carries_the_discarded_reasons():
    from autoharness import secrets
    from autoharness.harness.verify import HARNESS_FAILURE, Contradiction
    from autoharness.learn.prompts import refinement_prompt

    secret = "sk-live-prompt-secret-0042"
    secrets.register(secret)
    leak = Contradiction(HARNESS_FAILURE, GAME, 0, 0, 0, f"obs {secret}", "[1]", True, None,
                         None, f"exception: ValueError: {secret}")
    messages = refinement_prompt(GAME, "rules", f"# {secret}\n" + PROGRAM, 0.5, "1 failure",
                                 [leak], mid_game="[GAME] later board",
                                 discarded=["line 3: syntax error: invalid syntax"])
    text = "\n".join(m["content"] for m in messages)
    assert secret not in text and "[redacted]" in text
    assert "later board" in text and "line 3: syntax error" in text
