"""Tag whole archives of reports: parallel, resumable, one bad file never stops the rest.

Each file's result (the tagged report, or its error) is written to
``OUT/parts/`` as soon as it is done, atomically; its key is the file's sha256
with the pipeline and model versions and its place, so a re-run skips what is
finished, redoes what changed, and a run killed at any moment loses at most
the files in flight. The outputs (``reports.jsonl.gz``, the tables, the
workbook and ``summary.json``) are then rebuilt for the whole archive and
replaced atomically.

- :mod:`~nlp.batching.results`: options, one file's result, skipped files, the summary;
- :mod:`~nlp.batching.survey`: which files under a folder are reports;
- :mod:`~nlp.batching.workers`: tagging in worker processes (:func:`batch`);
- :mod:`~nlp.batching.pages`: OCR page progress from the workers;
- :mod:`~nlp.batching.archive`: the output folder (:func:`run_batch`).
"""

from nlp.batching.archive import PARTS, Progress, run_batch
from nlp.batching.pages import PageChannel, PageProgress, PageProgressCallback
from nlp.batching.results import BatchOptions, BatchSummary, FileResult, SkippedFile
from nlp.batching.survey import DEFAULT_INCLUDE, SKIP_REASONS, discover, survey
from nlp.batching.workers import (FileTimeoutError, ModelFiles, batch, dask_client, pipeline_version, result_key,
                                  tag_one)

__all__ = ["DEFAULT_INCLUDE", "PARTS", "SKIP_REASONS", "BatchOptions", "BatchSummary", "FileResult",
           "FileTimeoutError", "ModelFiles", "PageChannel", "PageProgress", "PageProgressCallback", "Progress",
           "SkippedFile", "batch", "dask_client", "discover", "pipeline_version", "result_key", "run_batch", "survey",
           "tag_one"]
