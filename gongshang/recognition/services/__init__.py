"""Every 工伤认定 write. Status changes go through core.workflow.transition only (services.transition.move)."""
