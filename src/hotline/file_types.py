"""The export files the ingest reads, by their suffix.

Free of Arrow and pandas: the command estimates an ingest's size from these before pyarrow
loads (:mod:`hotline.allocator`), and the readers pick a reader by them
(:mod:`hotline.ingestion.readers`).
"""

from __future__ import annotations

__all__ = ["EXCEL_SUFFIXES", "JSON_SUFFIXES", "SUFFIXES", "TEXT_SUFFIXES", "XML_SUFFIXES"]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
JSON_SUFFIXES = (".json",)
#: Open311 GeoReport v2 XML (the JSON form's twin).
XML_SUFFIXES = (".xml",)
#: Every file type the ingest reads.
SUFFIXES = EXCEL_SUFFIXES + TEXT_SUFFIXES + JSON_SUFFIXES + XML_SUFFIXES
