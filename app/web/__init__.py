"""The web layer: blueprints, templates, static assets."""
