"""Retention (Québec's Law 25): personal data does not outlive its purpose."""
