"""Errors the commands raise to say the user asked for something that cannot be done."""


class UsageError(Exception):
    """Bad arguments: printed as one line, exit code 2."""
