"""Demo courses: competencies, the catalog in English and Persian, four courses with
lessons, question banks and exams, a learning path, and people part-way through them.

Runs from `lms.portal.demo.load_demo`, inside its transaction, after the organizations and
people exist. Everything is looked up before it is created, so a second run changes
nothing. People's progress goes through the same services the portal uses.
"""

from __future__ import annotations

import itertools
import math
import uuid
from collections.abc import Callable
from datetime import timedelta
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page
from wagtail.utils.file import hash_filelike

from courses import demo_content as content
from courses.answer_forms import correct_fields, wrong_fields
from courses.blocks import knowledge_check_ids, knowledge_check_value
from courses.models import (
    Assessment,
    Attempt,
    CourseIndexPage,
    CoursePage,
    CourseSectionPage,
    Enrolment,
    LearningPathCourse,
    LearningPathPage,
    LessonCompletion,
    LessonPage,
    PathEnrolment,
    QuestionBank,
)
from courses.option_values import encode
from courses.services.attempts import answer_key, start_attempt, submit_attempt
from courses.services.enrolment import assign_course, enrol_in_path, enrol_learner
from courses.services.progress import answer_knowledge_check, complete_lesson
from courses.services.question_banks import add_questions
from lms import clock
from lms.accounts.models import User
from lms.competencies.models import Competency
from lms.partners.models import Organization
from lms.portal.demo import DEMO_DOMAIN, DemoSummary
from lms.portal.models import HomePage

COLLECTION_NAME = "Demo"
# Block ids derive from the lesson and position, so the same lesson always has the same ids.
BLOCK_NAMESPACE = uuid.UUID("6f1d3c2e-8a4b-4c1d-9e2f-0b5f73c2410c")


def load_course_demo(summary: DemoSummary) -> None:
    author = User.objects.filter(email=f"author@{DEMO_DOMAIN}").first()
    competencies = {spec.slug: _competency(spec) for spec in content.COMPETENCIES}
    collection = _collection()
    images = {spec.key: _picture(spec, collection) for spec in content.PICTURES}
    documents = {spec.key: _checklist(spec, collection) for spec in content.CHECKLISTS}
    catalogs = _catalogs(author)
    courses: dict[str, CoursePage] = {}
    for spec in content.COURSES:
        course = _course(spec, catalogs[spec.language], author, competencies, courses, images, documents)
        courses[spec.slug] = course
        bank = _bank(spec, competencies)
        _assessments(spec, course, bank)
    path = _learning_path(content.CLOUD_SECURITY_PATH, catalogs["en"], author, courses, images)
    _people(courses, path)


# Competencies, media ----------------------------------------------------------------------


def _competency(spec: content.CompetencySpec) -> Competency:
    competency, _created = Competency.objects.get_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "name_fa": spec.name_fa,
            "description": spec.description,
            "description_fa": spec.description_fa,
        },
    )
    return competency


def _collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=COLLECTION_NAME).first()
    return existing or root.add_child(name=COLLECTION_NAME)


def _picture(spec: content.PictureSpec, collection: Collection):
    Image = get_image_model()
    image = Image.objects.filter(collection=collection, title=spec.title).first()
    if image is None:
        data = draw_picture(spec)
        image = Image(
            title=spec.title,
            collection=collection,
            file=ImageFile(BytesIO(data), name=f"{spec.key}.png"),
            file_size=len(data),
            file_hash=hash_filelike(BytesIO(data)),
        )
        image.save()
    return image


def _checklist(spec: content.ChecklistSpec, collection: Collection):
    Document = get_document_model()
    document = Document.objects.filter(collection=collection, title=spec.title).first()
    if document is None:
        data = checklist_pdf(spec)
        document = Document(
            title=spec.title,
            collection=collection,
            file=ContentFile(data, name=f"{spec.key}.pdf"),
            file_size=len(data),
            file_hash=hash_filelike(BytesIO(data)),
        )
        document.save()
    return document


def checklist_pdf(spec: content.ChecklistSpec) -> bytes:
    """A one-page printable checklist."""
    from reportlab.lib.colors import HexColor, white
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = BytesIO()
    width, height = A4
    pdf = Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setTitle(spec.title)
    pdf.setAuthor("Abrzad")
    pdf.setFillColor(HexColor(content.BRAND))
    pdf.rect(0, height - 100, width, 100, fill=1, stroke=0)
    pdf.setFillColor(white)
    pdf.setFont("Helvetica-Bold", 17)
    pdf.drawString(48, height - 60, spec.title)
    pdf.setFillColor(HexColor("#1f2937"))
    pdf.setFont("Helvetica", 11)
    y = height - 150
    for item in spec.items:
        pdf.setStrokeColor(HexColor(content.BRAND))
        pdf.rect(48, y - 2, 11, 11, fill=0, stroke=1)
        pdf.drawString(70, y, item)
        y -= 30
    pdf.setFont("Helvetica-Oblique", 9)
    pdf.drawString(48, 48, "Abrzad partner enablement - Cloud Security Fundamentals")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# Pictures: simple shapes in the brand colours, no text except diagram labels.


def _rgb(colour: str, alpha: int = 255) -> tuple[int, int, int, int]:
    colour = colour.lstrip("#")
    return (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16), alpha)


def draw_picture(spec: content.PictureSpec) -> bytes:
    from PIL import Image as PillowImage
    from PIL import ImageDraw

    diagram = spec.motif in DIAGRAMS
    size = (960, 540) if diagram else (1200, 675)
    top, bottom, highlight = spec.colours
    picture = PillowImage.new("RGB", size)
    draw = ImageDraw.Draw(picture, "RGBA")
    width, height = size
    top_rgb, bottom_rgb = _rgb(top), _rgb(bottom)
    for y in range(height):
        share = y / (height - 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * share) for a, b in zip(top_rgb, bottom_rgb, strict=True)),
        )
    (DIAGRAMS | MOTIFS)[spec.motif](draw, size, highlight, spec.labels)
    buffer = BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except (OSError, TypeError, ImportError):  # no FreeType: the small bitmap font
        return ImageFont.load_default()


def _dots(draw, size, alpha: int = 40) -> None:
    width, height = size
    for x in range(40, width // 2, 48):
        for y in range(40, height, 48):
            draw.ellipse([x - 3, y - 3, x + 3, y + 3], fill=(255, 255, 255, alpha))


def _shield(draw, size, highlight, labels) -> None:
    width, height = size
    _dots(draw, size)
    cx, top = width * 0.7, height * 0.16
    w, h = width * 0.22, height * 0.68
    outline = [
        (cx - w / 2, top),
        (cx + w / 2, top),
        (cx + w / 2, top + h * 0.45),
        (cx, top + h),
        (cx - w / 2, top + h * 0.45),
    ]
    draw.polygon(outline, fill=(255, 255, 255, 30), outline=_rgb(content.BRAND_TINT), width=8)
    lock = (cx - 44, top + h * 0.38, cx + 44, top + h * 0.62)
    draw.rounded_rectangle(lock, radius=10, fill=_rgb(highlight))
    draw.arc((cx - 30, top + h * 0.24, cx + 30, top + h * 0.46), 180, 360, fill=_rgb(highlight), width=12)


def _rings(draw, size, highlight, labels) -> None:
    width, height = size
    _dots(draw, size, 30)
    cx, cy = width * 0.68, height * 0.5
    for radius, alpha in ((300, 25), (230, 45), (160, 70), (90, 110)):
        draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=(255, 255, 255, alpha), width=6)
    for angle in range(0, 360, 45):
        x, y = cx + 300 * math.cos(math.radians(angle)), cy + 300 * math.sin(math.radians(angle))
        draw.ellipse([x - 12, y - 12, x + 12, y + 12], fill=_rgb(content.BRAND_TINT, 200))
    draw.ellipse([cx - 36, cy - 36, cx + 36, cy + 36], fill=_rgb(highlight))


def _bars(draw, size, highlight, labels) -> None:
    width, height = size
    base = height * 0.82
    heights = (0.22, 0.3, 0.27, 0.4, 0.46, 0.55)
    bar = width * 0.07
    left = width * 0.42
    points = []
    for i, share in enumerate(heights):
        x = left + i * bar * 1.45
        draw.rounded_rectangle([x, base - height * share, x + bar, base], radius=8, fill=(255, 255, 255, 70 + i * 20))
        points.append((x + bar / 2, base - height * share - 40))
    draw.line(points, fill=_rgb(highlight), width=10, joint="curve")
    for x, y in points:
        draw.ellipse([x - 11, y - 11, x + 11, y + 11], fill=_rgb(highlight))
    draw.line([(left - 20, base), (width * 0.95, base)], fill=(255, 255, 255, 160), width=4)


def _mesh(draw, size, highlight, labels) -> None:
    width, height = size
    nodes = [
        (0.55, 0.25),
        (0.72, 0.18),
        (0.88, 0.3),
        (0.62, 0.52),
        (0.8, 0.55),
        (0.93, 0.72),
        (0.58, 0.8),
        (0.74, 0.84),
    ]
    points = [(x * width, y * height) for x, y in nodes]
    links = [(0, 1), (1, 2), (0, 3), (1, 3), (1, 4), (2, 4), (3, 4), (4, 5), (3, 6), (4, 7), (6, 7), (5, 7)]
    for a, b in links:
        draw.line([points[a], points[b]], fill=(255, 255, 255, 110), width=5)
    for i, (x, y) in enumerate(points):
        radius = 26 if i == 4 else 16
        draw.ellipse(
            [x - radius, y - radius, x + radius, y + radius], fill=_rgb(highlight if i == 4 else content.BRAND_TINT)
        )


def _path(draw, size, highlight, labels) -> None:
    width, height = size
    _dots(draw, size, 30)
    stops = [(0.5, 0.78), (0.62, 0.6), (0.74, 0.68), (0.84, 0.45), (0.9, 0.22)]
    points = [(x * width, y * height) for x, y in stops]
    draw.line(points, fill=(255, 255, 255, 140), width=12, joint="curve")
    for i, (x, y) in enumerate(points):
        radius = 34 if i == len(points) - 1 else 20
        colour = _rgb(highlight) if i == len(points) - 1 else _rgb(content.BRAND_TINT)
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=colour)


MOTIFS: dict[str, Callable[..., None]] = {
    "shield": _shield,
    "rings": _rings,
    "bars": _bars,
    "mesh": _mesh,
    "path": _path,
}


def _layers(draw, size, highlight, labels) -> None:
    width, height = size
    font = _font(26)
    count = len(labels)
    gap, top, left, right = 14, 50, 120, width - 120
    band = (height - 2 * top - gap * (count - 1)) / count
    for i, label in enumerate(labels):
        y = top + i * (band + gap)
        customer = i < 3
        fill = _rgb(content.BRAND) if customer else _rgb(highlight)
        draw.rounded_rectangle([left, y, right, y + band], radius=12, fill=fill)
        draw.text((left + 28, y + band / 2), label, fill=(255, 255, 255), font=font, anchor="lm")
    marker = _font(20)
    draw.text((right - 24, top + band / 2), "Customer", fill=_rgb(content.BRAND_TINT), font=marker, anchor="rm")
    draw.text(
        (right - 24, top + 3 * (band + gap) + band / 2), "Provider", fill=(255, 255, 255), font=marker, anchor="rm"
    )


def _checkpoints(draw, size, highlight, labels) -> None:
    font = _font(22)
    user, gate, resource, engine = labels
    boxes = {
        user: (40, 130, 290, 260),
        gate: (355, 130, 605, 260),
        resource: (670, 130, 920, 260),
        engine: (355, 350, 605, 450),
    }
    arrow = _rgb(content.BRAND_STRONG)
    draw.line([(290, 195), (355, 195)], fill=arrow, width=6)
    draw.line([(605, 195), (670, 195)], fill=arrow, width=6)
    draw.line([(480, 260), (480, 350)], fill=_rgb(highlight), width=6)
    for label, box in boxes.items():
        colour = _rgb(highlight) if label == engine else _rgb(content.BRAND)
        draw.rounded_rectangle(box, radius=14, fill=colour)
        draw.text(((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), label, fill=(255, 255, 255), font=font, anchor="mm")


def _chart(draw, size, highlight, labels) -> None:
    width, height = size
    left, base = 90, height - 70
    draw.line([(left, 40), (left, base), (width - 50, base)], fill=_rgb(content.BRAND_STRONG), width=4)
    series = [(0.35, 0.5, 0.3, 0.42), (0.4, 0.55, 0.33, 0.46), (0.45, 0.58, 0.31, 0.52), (0.5, 0.66, 0.36, 0.58)]
    shades = [_rgb(content.BRAND), _rgb("#3d8ea0"), _rgb("#7bb7c4"), _rgb("#b5d9e0")]
    group = (width - left - 90) / len(series)
    bar = group / 5
    trend = []
    for month, values in enumerate(series):
        x0 = left + 30 + month * group
        for i, value in enumerate(values):
            x = x0 + i * bar
            draw.rectangle([x, base - (base - 60) * value, x + bar - 4, base], fill=shades[i])
        trend.append((x0 + 2 * bar, base - (base - 60) * (max(values) + 0.08)))
    draw.line(trend, fill=_rgb(highlight), width=6)
    for x, y in trend:
        draw.ellipse([x - 9, y - 9, x + 9, y + 9], fill=_rgb(highlight))


def _topology(draw, size, highlight, labels) -> None:
    width = size[0]
    controller = (width / 2, 90)
    switches = [(width * share, 280) for share in (0.17, 0.39, 0.61, 0.83)]
    for switch in switches:
        draw.line([controller, switch], fill=_rgb(highlight), width=4)
    for a, b in itertools.pairwise(switches):
        draw.line([a, b], fill=_rgb(content.BRAND_STRONG), width=6)
    for x, y in switches:
        for offset in (-50, 0, 50):
            draw.line([(x, y), (x + offset, 450)], fill=_rgb(content.BRAND_STRONG, 150), width=3)
            draw.rounded_rectangle([x + offset - 18, 440, x + offset + 18, 490], radius=5, fill=_rgb("#7bb7c4"))
        draw.rounded_rectangle([x - 55, y - 28, x + 55, y + 28], radius=10, fill=_rgb(content.BRAND))
    cx, cy = controller
    draw.rounded_rectangle([cx - 110, cy - 45, cx + 110, cy + 45], radius=16, fill=_rgb(highlight))


DIAGRAMS: dict[str, Callable[..., None]] = {
    "layers": _layers,
    "checkpoints": _checkpoints,
    "chart": _chart,
    "topology": _topology,
}


# Pages ---------------------------------------------------------------------------------------


def _publish(page: Page, author: User | None) -> None:
    # The author is recorded as the editor; the demo itself needs no page permissions.
    page.save_revision(user=author).publish(user=author, skip_permission_checks=True)


def _add_page[P: Page](parent: Page, page: P, author: User | None) -> P:
    page.owner = author
    parent.add_child(instance=page)
    _publish(page, author)
    return page


def _child[P: Page](parent: Page, model: type[P], slug: str) -> P | None:
    return model.objects.child_of(parent).filter(slug=slug).first()


def _catalogs(author: User | None) -> dict[str, CourseIndexPage]:
    """The English catalog under the English home page and its Persian translation."""
    spec = content.CATALOG
    home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    catalog = _child(home, CourseIndexPage, spec.slug)
    if catalog is None:
        catalog = _add_page(home, CourseIndexPage(title=spec.title, slug=spec.slug, intro=spec.intro), author)
    persian = Locale.objects.get(language_code="fa")
    translation = catalog.get_translation_or_none(persian)
    if translation is None:
        translation = catalog.copy_for_translation(persian)
    translation = translation.specific
    wanted = {"title": spec.title_fa, "slug": spec.slug, "intro": spec.intro_fa}
    if not (translation.live and all(getattr(translation, name) == value for name, value in wanted.items())):
        for name, value in wanted.items():
            setattr(translation, name, value)
        if translation.owner_id is None:
            translation.owner = author
        _publish(translation, author)
    return {"en": catalog, "fa": translation}


def _course(
    spec: content.CourseSpec,
    catalog: CourseIndexPage,
    author: User | None,
    competencies: dict[str, Competency],
    earlier: dict[str, CoursePage],
    images: dict[str, Any],
    documents: dict[str, Any],
) -> CoursePage:
    course = _child(catalog, CoursePage, spec.slug)
    if course is None:
        course = CoursePage(
            title=spec.title,
            slug=spec.slug,
            summary=spec.summary,
            cover_image=images[spec.cover],
            level=spec.level,
            estimated_minutes=spec.minutes,
            minimum_tier=spec.minimum_tier,
        )
        course.competencies = [competencies[slug] for slug in spec.competencies]
        course.prerequisites = [earlier[slug] for slug in spec.prerequisites]
        course = _add_page(catalog, course, author)
    for lesson in spec.lessons:
        _lesson(course, lesson, author, images, documents)
    for section_spec in spec.sections:
        section = _child(course, CourseSectionPage, section_spec.slug)
        if section is None:
            section = _add_page(
                course,
                CourseSectionPage(title=section_spec.title, slug=section_spec.slug, summary=section_spec.summary),
                author,
            )
        for lesson in section_spec.lessons:
            _lesson(section, lesson, author, images, documents, course_slug=spec.slug)
    return course


def _lesson(
    parent: Page,
    spec: content.LessonSpec,
    author: User | None,
    images: dict[str, Any],
    documents: dict[str, Any],
    *,
    course_slug: str = "",
) -> LessonPage:
    lesson = _child(parent, LessonPage, spec.slug)
    if lesson is None:
        seed = f"{course_slug or parent.slug}/{spec.slug}"
        lesson = _add_page(
            parent,
            LessonPage(
                title=spec.title,
                slug=spec.slug,
                estimated_minutes=spec.minutes,
                body=lesson_body(spec.body, seed, images, documents),
            ),
            author,
        )
    return lesson


def lesson_body(blocks: tuple[content.Block, ...], seed: str, images: dict, documents: dict) -> list[dict]:
    """StreamField data for a lesson, with stable block ids and media references resolved."""

    def block_id(*parts: object) -> str:
        return str(uuid.uuid5(BLOCK_NAMESPACE, "/".join([seed, *map(str, parts)])))

    def resolve(value: Any, *path: object) -> Any:
        if isinstance(value, content.ImageRef):
            return images[value.key].pk
        if isinstance(value, content.DocumentRef):
            return documents[value.key].pk
        if isinstance(value, dict):
            return {key: resolve(item, *path, key) for key, item in value.items()}
        if isinstance(value, list):  # a ListBlock: items carry their own ids
            return [
                {"type": "item", "value": resolve(item, *path, i), "id": block_id(*path, i)}
                for i, item in enumerate(value)
            ]
        return value

    return [
        {"type": kind, "value": resolve(value, position), "id": block_id(position)}
        for position, (kind, value) in enumerate(blocks)
    ]


def _learning_path(
    spec: content.PathSpec,
    catalog: CourseIndexPage,
    author: User | None,
    courses: dict[str, CoursePage],
    images: dict[str, Any],
) -> LearningPathPage:
    path = _child(catalog, LearningPathPage, spec.slug)
    if path is None:
        path = LearningPathPage(title=spec.title, slug=spec.slug, summary=spec.summary, cover_image=images[spec.cover])
        path.path_courses = [
            LearningPathCourse(course=courses[slug], sort_order=order) for order, slug in enumerate(spec.courses)
        ]
        path = _add_page(catalog, path, author)
    return path


# Question banks and assessments ----------------------------------------------------------------


def _bank(spec: content.CourseSpec, competencies: dict[str, Competency]) -> QuestionBank:
    bank, _created = QuestionBank.objects.get_or_create(
        name=spec.bank.name, defaults={"language": spec.language, "description": spec.bank.description}
    )
    bank.competencies.add(*(competencies[slug] for slug in spec.competencies))
    existing = set(bank.questions.values_list("prompt", flat=True))
    add_questions(bank=bank, records=[question for question in spec.bank.questions if question.prompt not in existing])
    return bank


def _assessments(spec: content.CourseSpec, course: CoursePage, bank: QuestionBank) -> None:
    if spec.practice:
        _assessment(course, bank, spec.practice, Assessment.Kind.PRACTICE, content.PRACTICE_RULES)
    exam = _assessment(course, bank, spec.exam, Assessment.Kind.EXAM, content.EXAM_RULES)
    if spec.practice and not exam.requires_practice:
        exam.requires_practice = True
        exam.save(update_fields=["requires_practice"])  # saved, so the cached course structure hears of it


def _assessment(course: CoursePage, bank: QuestionBank, quiz: content.QuizSpec, kind: str, rules: dict) -> Assessment:
    assessment, _created = Assessment.objects.get_or_create(
        course=course,
        kind=kind,
        title=quiz.title,
        defaults={"question_count": quiz.question_count, "pass_mark": quiz.pass_mark, **rules},
    )
    assessment.banks.add(bank)
    return assessment


# People --------------------------------------------------------------------------------------------


def _people(courses: dict[str, CoursePage], path: LearningPathPage) -> None:
    def person(name: str) -> User | None:
        return User.objects.filter(email=f"{name}@{DEMO_DOMAIN}").first()

    sdn = courses["software-defined-networking"]
    analytics = courses["data-analytics-basics"]
    cloud = courses["cloud-security-fundamentals"]

    # Sara has started a Persian course: the first lesson is done.
    sara = person("learner")
    if sara and not Enrolment.objects.filter(user=sara, course=sdn).exists():
        enrol_learner(user=sara, course=sdn)
        finish_lessons(sara, sdn, count=1)

    # Maryam completed a Persian course: every lesson, and the final exam passed.
    maryam = person("maryam")
    if maryam and not Enrolment.objects.filter(user=maryam, course=analytics).exists():
        enrol_learner(user=maryam, course=analytics)
        finish_lessons(maryam, analytics)
        take_exam(maryam, _exam(analytics), right=None)

    # Niloufar did the lessons but failed the exam, and now waits out the cooldown.
    niloufar = person("niloufar")
    exam = _exam(analytics)
    if niloufar and not Attempt.objects.filter(user=niloufar, assessment=exam).exists():
        enrol_learner(user=niloufar, course=analytics)
        finish_lessons(niloufar, analytics)
        take_exam(niloufar, exam, right=3)

    # Anna, Northwind's partner admin, assigned Lukas a course due in 30 days; he also
    # follows the learning path that course starts.
    anna, lukas = person("anna"), person("lukas")
    northwind = Organization.objects.filter(slug="northwind-integrators").first()
    if anna and lukas and northwind and not Enrolment.objects.filter(user=lukas, course=cloud).exists():
        assign_course(
            assigned_by=anna,
            organization=northwind,
            user_ids=[lukas.pk],
            course=cloud,
            due_date=timezone.localdate(clock.now()) + timedelta(days=30),
        )
    if lukas and not PathEnrolment.objects.filter(user=lukas, path=path).exists():
        enrol_in_path(user=lukas, path=path)


def _exam(course: CoursePage) -> Assessment:
    return Assessment.objects.get(course=course, kind=Assessment.Kind.EXAM)


def finish_lessons(user: User, course: CoursePage, *, count: int | None = None) -> None:
    """Answer each lesson's knowledge checks correctly, then mark the lesson complete."""
    lessons = list(LessonPage.objects.descendant_of(course).live().order_by("path"))
    for lesson in lessons[:count]:
        if LessonCompletion.objects.filter(user=user, lesson=lesson).exists():
            continue
        for block_id in knowledge_check_ids(lesson.body):
            value = knowledge_check_value(lesson.body, block_id)
            chosen = [str(i) for i, choice in enumerate(value["choices"]) if choice["correct"]]
            answer_knowledge_check(user=user, lesson=lesson, block_id=block_id, chosen=chosen)
        complete_lesson(user=user, lesson=lesson)


def take_exam(user: User, assessment: Assessment, *, right: int | None) -> Attempt:
    """Start and submit an attempt, answering the first `right` questions correctly (all
    of them when None) and the rest wrongly, as the attempt form would post them."""
    attempt = start_attempt(user=user, assessment=assessment)
    items = attempt.questions.select_related("question").prefetch_related("question__choices").order_by("position")
    answers = {}
    for number, item in enumerate(items):
        fields = correct_fields if right is None or number < right else wrong_fields
        answers[item.position] = encode(item.question.kind, item.choice_order, fields(answer_key(item.question)))
    return submit_attempt(user=user, attempt=attempt, answers=answers)
