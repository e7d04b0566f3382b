"""Conóceles publicacion service."""
