"""Evidence files attached to answers: list, upload, download (always as a file), remove."""
