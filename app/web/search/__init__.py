"""Public search across the resource centre."""
