"""Briefing archive: policy briefs in Markdown turned into a browsable, tagged archive.

`catalogue` reads and validates the content (plain Python, no MkDocs);
`pages` plans every generated page from the catalogue;
`mkdocs_plugin` is the thin glue that hands those pages to MkDocs;
`cli` is the `briefs` command editors use.
"""
