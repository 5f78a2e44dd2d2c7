"""Domain errors for papers that cannot be read. Each message says what to do next."""

from __future__ import annotations


class UnreadableDocument(Exception):
    """A paper that could not be read. ``str(error)`` is shown to people as it is."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return self.message


class MissingDocument(UnreadableDocument):
    """The manifest names a file that is not on disk."""


class UnsupportedFormat(UnreadableDocument):
    """A file of a type the archive cannot read (not .pdf, .txt or .md)."""


class UnreadablePDF(UnreadableDocument):
    """A PDF that is broken, truncated, not really a PDF, or empty."""


class EncryptedPDF(UnreadablePDF):
    """A password-protected PDF."""


class ScannedPDF(UnreadablePDF):
    """A PDF with no text layer (scanned pages)."""
