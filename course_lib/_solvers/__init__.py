"""Speed machinery, one hop from the readable versions it must agree with (each module says which)."""
