"""Running storfa as a service: the `storfa serve` supervisor, start-up checks,
readiness and the figures /metrics reports, and structured logs."""
