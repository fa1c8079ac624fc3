"""Projects' values and pure rules."""
