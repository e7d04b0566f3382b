"""Conóceles validacion service."""
