"""Every 工伤快报 write: submission, supplements, code access, staff actions."""
