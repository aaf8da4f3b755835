"""Exports of lessons in formats other tools read: one module per format."""
