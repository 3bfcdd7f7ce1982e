"""The pytest side: marker options, status-case selection, the hermetic environment, reports."""
