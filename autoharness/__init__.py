"""autoharness: code harnesses that keep LLM agents' moves legal in TextArena games."""

__version__ = "0.1.0"
