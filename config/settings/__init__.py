"""Settings modules: local (the default for manage.py), test, production; all build on base."""
