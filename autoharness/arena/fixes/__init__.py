"""Engine fixes for the ``fixed`` profile: TextArena's upstream bug fixes after 0.7.4, re-written.

Each module subclasses one TextArena 0.7.4 env class and changes only what an upstream pull
request changed, written here from the described behaviour (no upstream code). ``profiles.py``
maps each 0.7.4 class to its fixed subclass; the ``stock`` profile never touches them.
"""
