"""The synthesis loop: engine contradictions in, refined harness code out (see ``loop``)."""

from autoharness.learn.config import LearnConfig
from autoharness.learn.loop import LearnResult, learn

__all__ = ["LearnConfig", "LearnResult", "learn"]
