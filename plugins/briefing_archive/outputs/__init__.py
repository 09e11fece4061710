"""Files the archive publishes beside its pages: Atom feeds, the JSON API, citation files.

Plain functions from catalogue objects to text; the plugin only places the text in the site.
"""
