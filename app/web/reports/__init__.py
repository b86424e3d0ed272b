"""PDF reports of an assessment."""
