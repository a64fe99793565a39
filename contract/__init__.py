"""Tools that validate the contract and build everything that is derived from it."""
