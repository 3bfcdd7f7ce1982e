"""What a user sees: the fixture, real clients, the README and the command line."""
