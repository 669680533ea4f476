"""Courses: editorial pages, question banks, assessments and per-person progress."""

from courses.models.assessments import Assessment, Attempt, AttemptQuestion
from courses.models.pages import (
    CourseIndexPage,
    CoursePage,
    CourseSectionPage,
    LearningPathCourse,
    LearningPathPage,
    LessonPage,
)
from courses.models.progress import Enrolment, KnowledgeCheckAnswer, LessonCompletion, PathEnrolment
from courses.models.questions import Question, QuestionBank, QuestionChoice

__all__ = [
    "Assessment",
    "Attempt",
    "AttemptQuestion",
    "CourseIndexPage",
    "CoursePage",
    "CourseSectionPage",
    "Enrolment",
    "KnowledgeCheckAnswer",
    "LearningPathCourse",
    "LearningPathPage",
    "LessonCompletion",
    "LessonPage",
    "PathEnrolment",
    "Question",
    "QuestionBank",
    "QuestionChoice",
]
