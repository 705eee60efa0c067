"""CCV's ten sources of the safety analysis as a checklist per analysis."""
