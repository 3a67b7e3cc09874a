"""The one exception course operations raise when a user may not do something."""


class Refused(Exception):
    """An action the user may not take; the message is shown to them as is."""
