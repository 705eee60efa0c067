"""Surveys of entrepreneurs, visitors and residents: questions, personal links, answers, results."""
