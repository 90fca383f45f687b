"""The `storfa` command: thin wrappers over the services in `storfa.app`."""
