"""The `briefing-search` MkDocs plugin: reader search over the briefs with Pagefind.

A separate plugin from `briefing-archive`: it only relies on the Pagefind marks that brief pages
carry (`data-pagefind-body`, `-filter`, `-meta`, `-sort`), not on the catalogue.
"""
