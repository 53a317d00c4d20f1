"""Saved searches with e-mail alerts (issue 21): subscriptions and their send records."""
