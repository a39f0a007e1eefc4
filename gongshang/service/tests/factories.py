"""Factories of 服务 (each part adds its own below)."""
