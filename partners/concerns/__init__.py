"""Concerns as a working list: what partners worry about and what the municipality does."""
