"""Mentoring sessions (rencontres): scheduling, holding, confidential notes, calendars."""
