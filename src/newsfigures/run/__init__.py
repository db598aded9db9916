"""Run: the sequence of one pipeline run, its batches, run-level checks, summary and reports."""
