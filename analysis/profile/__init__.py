"""The area profile: streets, functions, establishments, capacity, peak times and key figures."""
