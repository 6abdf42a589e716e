"""Git: the only GitPython importer; steps and plans, staging, tags and tagging."""
