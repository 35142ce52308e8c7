"""Exceptions that carry a message meant for the user, raised across core."""


class TrialAbstractorError(Exception):
    """Base for errors whose message is shown to the user as it is."""


class DocumentImportError(TrialAbstractorError):
    """A file could not be turned into a document (binary, empty, broken...)."""


class TemplateError(TrialAbstractorError):
    """A template file is malformed; the message names file, place and problem."""


class NotFoundError(TrialAbstractorError):
    """A study, document, reviewer, extraction or field does not exist."""


class ValidationError(TrialAbstractorError):
    """A request breaks a rule of the domain (locked extraction, bad range...)."""


class BundleError(TrialAbstractorError):
    """A JSON bundle cannot be read or does not match the project."""


class BlindedError(TrialAbstractorError):
    """A reviewer asked for another reviewer's work before both have submitted."""


class StaleWriteError(TrialAbstractorError):
    """A write was based on a field as it was before someone else changed it; nothing saved."""
