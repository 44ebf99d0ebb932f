"""Syncing: fetching the files a library wants from publishers' servers."""
