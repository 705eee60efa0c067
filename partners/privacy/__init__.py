"""Personal data of contact persons: what is stored, export, anonymisation and retention."""
