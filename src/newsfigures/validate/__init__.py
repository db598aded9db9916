"""Validate stage: the table contracts (schemas/*.yml) compiled to pandera, and applied."""
