"""Program reports for hubs and funders: aggregate figures, never a person."""
