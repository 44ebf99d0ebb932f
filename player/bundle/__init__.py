"""USB bundles: a folder (often on a USB drive) holding one or more signed mirrors of the
`lecture-catalog/1` format, with only the media of chosen series, plus `bundle.json`.

A study centre exports the series it keeps to a drive (`export.py`), carries it to
machines with no internet, and imports it there (`importer.py`). The folder is also an
ordinary mirror, so `sources add` and `sync --from` can read it.
"""
