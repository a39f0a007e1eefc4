"""Reads of 工伤医疗, by sub-topic; every list starts from `restrict(actor, qs, action)`."""
