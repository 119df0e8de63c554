"""Readers: anything → Bank."""
