"""Reference lists: stable codes with their French and English labels."""
