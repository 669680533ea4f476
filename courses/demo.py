"""Demo courses (placeholder until the demo content lands)."""


def load_course_demo(summary) -> None:
    return None
