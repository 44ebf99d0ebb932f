"""Sharing a library on the local network: a read-only HTTP mirror and its discovery."""
