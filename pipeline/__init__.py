"""IOM PDF tables -> tidy, validated CSV and Parquet.

Stages: ``extract`` (PDF -> physical rows) -> ``clean`` (logical rows, parsed fields) ->
``validate`` (pandera schema, rejects) -> ``emit`` (atomic CSV/Parquet/report).
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "run_pipeline"]


def __getattr__(name: str) -> object:
    # Lazy, so `import pipeline` (e.g. for __version__) does not load pdfplumber.
    if name == "run_pipeline":
        from pipeline.runner import run_pipeline

        return run_pipeline
    raise AttributeError(name)
