"""Workshops: set-up, join code, live board, groups and strategies, evaluation."""
