"""E-mail for the contact log: each project's secret logging address and its inbox (issue 18)."""
