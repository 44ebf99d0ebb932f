"""Profiles beyond adding and listing them: rename, delete, and which one was last watching.

The profile last chosen in the app is stored with the library (not per user), because a
shared study-centre computer has one library and several people taking turns.
"""

from __future__ import annotations

from dataclasses import dataclass

from player.errors import BadInput
from player.library.db import Library
from player.library.progress_store import Profile, default_profile_id, find_profile, list_profiles
from player.library.settings import get_setting, set_setting

CHOSEN_PROFILE_KEY = "ui.profile"


@dataclass(frozen=True)
class ProfileChoice:
    profiles: list[Profile]
    chosen_id: int  # the remembered profile if it still exists, else the default one


def _get(lib: Library, profile_id: int) -> Profile | None:
    row = lib.db.execute("SELECT id, name, created_at FROM profiles WHERE id = ?", [profile_id]).fetchone()
    return Profile(*row) if row else None


def rename_profile(lib: Library, profile_id: int, name: str) -> Profile:
    lib.require_writable()
    name = name.strip()
    if not name:
        raise BadInput("A profile needs a name.")
    with lib.db.atomic():
        if _get(lib, profile_id) is None:
            raise BadInput("That profile no longer exists.", hint="Choose another one.")
        other = find_profile(lib, name)
        if other is not None and other.id != profile_id:
            raise BadInput(f"There is already a profile named '{name}'.", hint="Choose another name.")
        lib.db.execute("UPDATE profiles SET name = ? WHERE id = ?", [name, profile_id])
        profile = _get(lib, profile_id)
    assert profile is not None
    return profile


def progress_count(lib: Library, profile_id: int) -> int:
    """How many lectures have progress for this profile (what deleting it would lose)."""
    return lib.db.execute("SELECT count(*) FROM progress WHERE profile_id = ?", [profile_id]).fetchone()[0]


def delete_profile(lib: Library, profile_id: int) -> None:
    """Delete a profile with its progress and bookmarks. The last profile stays."""
    lib.require_writable()
    with lib.db.atomic():
        count = lib.db.execute("SELECT count(*) FROM profiles").fetchone()[0]
        if count <= 1:
            raise BadInput("The last profile cannot be deleted.", hint="Add another profile first.")
        # Explicit deletes rather than relying on the cascade alone, so the result does not
        # depend on the connection's foreign-key setting.
        lib.db.execute("DELETE FROM progress WHERE profile_id = ?", [profile_id])
        lib.db.execute("DELETE FROM bookmarks WHERE profile_id = ?", [profile_id])
        lib.db.execute("DELETE FROM profiles WHERE id = ?", [profile_id])
        if get_setting(lib, CHOSEN_PROFILE_KEY) == str(profile_id):
            lib.db.execute("DELETE FROM settings WHERE key = ?", [CHOSEN_PROFILE_KEY])


def chosen_profile(lib: Library) -> ProfileChoice:
    """The profiles, and the one to watch with: the last chosen, else the default."""
    default_id = default_profile_id(lib)  # first, as it recreates 'Default' if none is left
    profiles = list_profiles(lib)
    stored = get_setting(lib, CHOSEN_PROFILE_KEY)
    ids = {p.id for p in profiles}
    chosen = int(stored) if stored and stored.isdigit() and int(stored) in ids else default_id
    return ProfileChoice(profiles, chosen)


def remember_profile(lib: Library, profile_id: int) -> None:
    set_setting(lib, CHOSEN_PROFILE_KEY, str(profile_id))
