"""AWS JSON 1.1: request bodies decoded and checked."""
