"""Conóceles identidad service."""
