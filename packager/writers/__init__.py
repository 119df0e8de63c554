"""Writers: Bank → XML documents (lxml trees). No files, no zip; packages/ put them in one."""
