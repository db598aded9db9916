"""Load stage: stage a run as Parquet, commit it to the state database (its rows, then the
models over them), publish what analysts read."""
