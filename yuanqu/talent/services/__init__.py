"""The talent writes, by noun: `registration` (self-registration with a verified contact and
consent), `profiles`, `openings`, `interests` (interest, answer, contact, outcome), `personal`
(unmasking, withdrawal and deletion, retention)."""
