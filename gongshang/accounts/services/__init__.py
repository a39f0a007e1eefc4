"""Every write about accounts: one module per audience plus the shared login mechanics."""
