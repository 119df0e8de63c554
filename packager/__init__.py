"""packager: compile canonical JSON question banks into LMS packages."""

__version__ = "0.1.0"
