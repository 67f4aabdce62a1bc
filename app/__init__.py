"""Mentorat: backend of a business-mentoring program for Québec social-economy leaders."""
