"""The oracle: every speed-up of the archive build must give the site the plain path gives.

archives.py  the small archives (configurations) the matrix builds, as files by path;
builds.py    running `mkdocs build` / `properdocs build` as a subprocess, and the serve driver;
compare.py   comparing two site folders file by file, with a message that says where they differ;
serve_driver.py  the `serve --dirty` sequence in one process (run as a script, per engine).
"""
