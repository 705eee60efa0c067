"""Team self-service: a municipality's leaders invite colleagues and manage their roles."""
