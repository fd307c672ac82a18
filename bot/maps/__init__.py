"""Map images of places: a circle per place sized by its incidents, coloured by its level."""
