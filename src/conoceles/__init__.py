"""Conóceles command line and all-in-one process."""
