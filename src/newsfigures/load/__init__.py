"""Load stage: stage a run as Parquet, commit it to the state database in one transaction,
publish what analysts read."""
