"""Data about the real service: statuses and documents. No behaviour beyond lookups."""
