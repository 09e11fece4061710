"""Benchmark of the briefing archive: synthetic archives (generate.py) and timed builds (run.py)."""
