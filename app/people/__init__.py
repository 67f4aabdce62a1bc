"""What mentors and mentees have in common: person fields, consent, export, anonymisation."""
