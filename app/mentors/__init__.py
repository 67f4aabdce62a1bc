"""Volunteer mentors: experienced people from outside the mentee's usual network."""
