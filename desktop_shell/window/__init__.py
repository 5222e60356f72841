"""The window: its life, and each feature that attaches itself to it."""
