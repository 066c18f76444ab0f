"""genlint: a static linter for Keras input pipelines."""

__version__ = "0.1.0"
