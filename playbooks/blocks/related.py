"""Related courses: links to the course pages that teach what the playbook sells."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from courses.audience import Access


class RelatedCoursesBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)
    courses = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="courses.CoursePage", label=_("course")), label=_("courses"), min_num=1
    )

    class Meta:
        icon = "link"
        label = _("Related courses")
        template = "playbooks/blocks/related_courses.html"
        description = _("Courses that teach what this playbook sells.")

    def get_context(self, value, parent_context=None):
        from courses.permissions import course_access, locked_message

        context = super().get_context(value, parent_context=parent_context)
        request = context.get("request")
        user = getattr(request, "user", None)
        rows = []
        for course in value["courses"]:
            if course is None or not course.live:
                continue
            access = course_access(user, course)  # no request (a preview): read as a visitor
            if access == Access.HIDDEN:  # meant for other organizations: never named
                continue
            rows.append(
                {
                    "course": course,
                    "locked_message": locked_message(course) if access == Access.TIER_LOCKED else "",
                }
            )
        context["course_rows"] = rows
        return context
