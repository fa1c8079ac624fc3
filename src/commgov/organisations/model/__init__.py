"""The organisations\x27 values and pure rules: no database here."""
