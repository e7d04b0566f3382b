"""Conóceles auditoria service."""
