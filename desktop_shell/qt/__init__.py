"""Qt-only parts (Linux), with every upstream workaround."""
