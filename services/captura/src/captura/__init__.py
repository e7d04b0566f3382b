"""Conóceles captura service."""
