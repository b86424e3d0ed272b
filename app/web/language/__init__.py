"""The interface language: the header's switcher."""
