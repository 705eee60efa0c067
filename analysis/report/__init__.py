"""Conclusions, recommendations and knelpunten of the analysis, and the analysis report."""
