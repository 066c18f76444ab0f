"""genlint: a static linter for Keras input pipelines."""

__version__ = "0.1.0"
# The project's home: rule documentation links (SARIF helpUri, JSON) and the issue tracker derive from it.
REPOSITORY_URL = "https://github.com/genlint/genlint"
