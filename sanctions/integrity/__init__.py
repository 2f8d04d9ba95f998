"""Government integrity (政务诚信): agencies' own dishonesty records and the yearly assessment (issue 11, seed 004)."""
