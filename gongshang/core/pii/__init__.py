"""Personal information under PIPL: encryption at rest, blind index, masking, access log."""
