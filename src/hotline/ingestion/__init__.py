"""Ingestion: messy hotline exports in, one clean canonical table out.

The modules, in the order a file flows through them: :mod:`.readers` (bytes to text cells, with
:mod:`.encoding`), :mod:`.layout` (where the table is), :mod:`.values` (cells to typed values),
:mod:`.privacy` (personal data out), :mod:`.convert` (one file), :mod:`.snapshots` and
:mod:`.pipeline` (many files, merged and written), :mod:`.accounting` and :mod:`.report` (the
account of every row).
"""

from hotline.ingestion.pipeline import IngestResult, ingest, read_export

__all__ = ["IngestResult", "ingest", "read_export"]
