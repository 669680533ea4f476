"""Domain events other apps act on (certifications awards credentials from them).

Each is sent after the change is committed, with plain keyword arguments:
- lesson_completed: user, lesson (the original-language LessonPage), course, completed_at
- course_completed: user, course (the original-language CoursePage), enrolment, completed_at
- exam_passed: user, assessment, attempt, course, score (Decimal percent), completes_course
  (True when this pass completed the course: its course_completed is sent too, after the
  same commit)
"""

from django.dispatch import Signal

lesson_completed = Signal()
course_completed = Signal()
exam_passed = Signal()
