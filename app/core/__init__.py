"""The pure domain: questionnaires, answers, scores, gaps and guidance. No web, no database."""
