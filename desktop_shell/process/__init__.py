"""The process: command line, single instance, per-user paths, logs."""
