"""The public resource centre: planning, principles, policy measures, practices, country profiles."""
