"""Kernel source templates (Jinja2); text only."""
