"""The working group, appointed from the signatories of the intentieverklaring."""
