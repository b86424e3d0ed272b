"""Reports built from plain values: context, templates, fonts, safety, layout (no database)."""
