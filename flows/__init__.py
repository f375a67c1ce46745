"""Prefect flows and tasks, I/O, the warehouse store and the `pouch` CLI."""
