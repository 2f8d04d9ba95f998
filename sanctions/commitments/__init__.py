"""Credit commitments (信用承诺) and their fulfilment (issue 11, DOMAIN §7)."""
