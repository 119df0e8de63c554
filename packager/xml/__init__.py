"""lxml helpers shared by writers, packages and readers."""
