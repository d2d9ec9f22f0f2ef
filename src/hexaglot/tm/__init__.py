"""Translation memories: TMX in and out (the store and fuzzy leverage come with issue 7)."""
