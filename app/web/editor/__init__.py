"""Keeping the resource centre current: editors' pages and coordinators' country updates."""
