"""What several test modules share: fault libraries, clients, facts read from the spec."""
