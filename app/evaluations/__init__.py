"""Evaluations at the end of a match, and the testimonials people agree to publish."""
