"""Regional hubs (pôles régionaux) that run the program locally."""
