"""The archive's content model: reading, validating and indexing briefs, authors and vocabularies.

Plain Python with no MkDocs import, so the `briefs` command, the tests and the plugins share it.
"""

from .loader import ArchivePaths, LoadedArchive, LoadMemo, load_archive
from .model import Author, Brief, BriefType, Catalogue, Correction, Link, Program, Series, Topic
from .problems import Problem, Report

__all__ = [
    "ArchivePaths", "Author", "Brief", "BriefType", "Catalogue", "Correction", "Link", "LoadedArchive", "LoadMemo",
    "Problem", "Program", "Report", "Series", "Topic", "load_archive",
]
