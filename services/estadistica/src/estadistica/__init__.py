"""Conóceles estadistica service."""
