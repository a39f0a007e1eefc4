"""Pure tables of the core's own workflows (no Django imports beyond core.workflow's step/Workflow)."""
