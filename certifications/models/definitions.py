"""What can be certified: certifications and the versions of their requirements.

Authors edit a `Certification`; every change to its requirements is frozen into a new
`CertificationVersion` (see `certifications.services.versions`), so a credential
keeps the requirements it was earned under.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.search import index

from lms.bilingual import BilingualNameMixin


class Level(models.TextChoices):
    FOUNDATIONAL = "foundational", _("Foundational")
    ASSOCIATE = "associate", _("Associate")
    PROFESSIONAL = "professional", _("Professional")
    SPECIALTY = "specialty", _("Specialty")


class CertificateTemplate(models.TextChoices):
    CLASSIC = "classic", _("Classic")
    MODERN = "modern", _("Modern")


class Certification(BilingualNameMixin, index.Indexed, models.Model):
    name = models.CharField(_("name (English)"), max_length=160, unique=True)
    name_fa = models.CharField(_("name (Persian)"), max_length=160, blank=True)
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, help_text=_("Part of the badge's address; do not change it once issued.")
    )
    description = models.TextField(_("description (English)"), blank=True)
    description_fa = models.TextField(_("description (Persian)"), blank=True)
    competency = models.ForeignKey(
        "competencies.Competency",
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.ASSOCIATE)
    is_active = models.BooleanField(
        _("awarding"), default=True, help_text=_("Switch off to stop issuing new credentials; issued ones stay.")
    )

    # Requirements: every change to these creates a new version.
    required_courses = models.ManyToManyField(
        "courses.CoursePage",
        verbose_name=_("courses to complete"),
        blank=True,
        related_name="+",
    )
    final_exam = models.ForeignKey(
        "courses.Assessment",
        verbose_name=_("final exam"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "exam"},
    )
    minimum_score = models.PositiveSmallIntegerField(
        _("minimum exam score (%)"), default=70, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    prerequisites = models.ManyToManyField(
        "self",
        verbose_name=_("prerequisite certifications"),
        symmetrical=False,
        blank=True,
        related_name="required_by",
        help_text=_("Certifications a person must hold (active) before earning this one."),
    )
    recertify_by = models.DateField(
        _("holders of earlier versions must re-certify by"),
        null=True,
        blank=True,
        help_text=_(
            "When a change to the requirements creates a new version, credentials earned under earlier "
            "versions expire on this date unless their holders earn the new version. They are notified."
        ),
    )

    # Validity and renewal.
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Leave empty for a credential that never expires."),
    )
    renewal_window_days = models.PositiveSmallIntegerField(
        _("renewal window (days before expiry)"), default=90, validators=[MaxValueValidator(730)]
    )
    renewal_exam = models.ForeignKey(
        "courses.Assessment",
        verbose_name=_("renewal exam"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": "exam"},
        help_text=_("Passing it (at the minimum score) inside the renewal window renews the credential."),
    )
    renewal_course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("update course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Completing it inside the renewal window renews the credential."),
    )

    certificate_template = models.CharField(
        _("certificate template"),
        max_length=16,
        choices=CertificateTemplate.choices,
        default=CertificateTemplate.CLASSIC,
    )
    badge_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("badge image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A square PNG, shown on the badge and offered for download."),
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_fa")]),
        FieldRowPanel([FieldPanel("slug"), FieldPanel("level")]),
        FieldPanel("competency"),
        FieldPanel("description"),
        FieldPanel("description_fa"),
        FieldPanel("is_active"),
        MultiFieldPanel(
            [
                FieldPanel("required_courses"),
                FieldPanel("final_exam"),
                FieldPanel("minimum_score"),
                FieldPanel("prerequisites"),
                FieldPanel("recertify_by"),
            ],
            _("Requirements (a change creates a new version)"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("validity_months"),
                FieldPanel("renewal_window_days"),
                FieldPanel("renewal_exam"),
                PageChooserPanel("renewal_course", page_type="courses.CoursePage"),
            ],
            _("Validity and renewal"),
        ),
        FieldRowPanel([FieldPanel("certificate_template"), FieldPanel("badge_image")]),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("name_fa"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        super().clean()
        if self.renewal_exam_id and not self.validity_months:
            raise ValidationError({"renewal_exam": _("Only a certification that expires can be renewed.")})
        if self.renewal_course_id and not self.validity_months:
            raise ValidationError({"renewal_course": _("Only a certification that expires can be renewed.")})


class CertificationVersion(models.Model):
    """The requirements of a certification as they stood from `created_at` on."""

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    # {"courses": [page ids], "exam": id | null, "minimum_score": int, "prerequisites": [certification ids]}
    requirements = models.JSONField(_("requirements"))
    recertify_by = models.DateField(_("re-certify by"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["certification", "-number"]
        verbose_name = _("certification version")
        verbose_name_plural = _("certification versions")
        constraints = [
            models.UniqueConstraint(fields=["certification", "number"], name="certification_version_once"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="certification_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.certification} v{self.number}"
