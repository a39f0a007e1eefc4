"""(filled by its part)"""
