"""The storage interface implemented once in portable SQL, over a dialect adapter."""
