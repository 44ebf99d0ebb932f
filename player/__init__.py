"""Lecture Player: an offline library of video lectures.

The core (everything outside `player.ui`) never imports Qt.
"""

__version__ = "0.1.0"
APP_NAME = "lecture-player"
