"""The load benchmark of issue 8: data generator, runner and bench-only settings (`make bench`)."""
