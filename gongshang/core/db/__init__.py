"""Database routing: report reads on the read replica (routers.py)."""
