"""CTSAT, the Counter-Trafficking Self-Assessment Toolkit. The app factory is app.web.factory.create_app."""
