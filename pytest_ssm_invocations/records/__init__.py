"""Pure builders: a seed in, dicts shaped exactly like AWS's out."""
