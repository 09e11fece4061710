"""Moving an existing archive in: `briefs import wordpress` (plain Python, no MkDocs import).

`wxr` reads a WordPress export as a stream, `markdown` turns a post's body into Markdown,
`mapping` reads and writes MAP.yml, and `wordpress` plans, writes and reports the import.
"""

from .wordpress import ImportReport, import_wordpress, write_map

__all__ = ["ImportReport", "import_wordpress", "write_map"]
