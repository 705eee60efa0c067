"""Partners, outreach, the contact log and the intentieverklaring (filled by later work)."""
