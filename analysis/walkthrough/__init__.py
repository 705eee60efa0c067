"""Walk-throughs (schouw) and their findings, recorded on a phone while walking."""
