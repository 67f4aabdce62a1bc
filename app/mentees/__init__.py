"""Mentees: directors of social-economy enterprises in the program."""
