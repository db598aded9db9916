"""The analyst report: one self-contained HTML page of the estimate groups, their charts and
the data-quality summary, from declarations in report/ (see build.py)."""
