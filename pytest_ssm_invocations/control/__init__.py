"""What a test author calls on a fake: argument checks, call matching, the send side."""
