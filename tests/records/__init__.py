"""The pure record builders: records as AWS prints them, reproducible from a seed."""
