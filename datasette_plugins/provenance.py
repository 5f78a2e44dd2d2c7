"""Placeholder replaced by the provenance plugin."""
