"""Erasure by key destruction, and the rotation of person keys."""
