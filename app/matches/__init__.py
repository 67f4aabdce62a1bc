"""Matches (jumelages): the pairing of a mentee with a mentor, and its lifecycle."""
