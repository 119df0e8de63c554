"""Targets: Bank → the files of one output (a zip's entries, or a single document)."""
