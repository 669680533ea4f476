"""Writes: every change to enrolments, progress and attempts goes through here."""


class CourseActionError(Exception):
    """A request the rules refuse; the message is for the person, already translated."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
