"""MkDocs glue: the `briefing-archive` plugin and its configuration."""
