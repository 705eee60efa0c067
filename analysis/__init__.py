"""CCV step 3, the safety analysis: area profile, sources, walk-throughs, surveys, the report."""
