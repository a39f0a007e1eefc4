"""Every 工伤认定 write. Status changes go through transition.application_transition only."""
