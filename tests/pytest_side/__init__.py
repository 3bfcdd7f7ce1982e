"""The plugin as pytest runs it: options, markers, the hermetic environment."""
