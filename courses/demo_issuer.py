"""The demo's certificate issuer: an organisation with a logo, an accent colour, two
signatories and a contact address, in English, French and Arabic.

Everything here is fictional and says so: the signatories are named "Example" and
"Specimen" and signed as demo signatories, the contact is at example.org (a domain reserved
for examples). Created only when missing, like the rest of the demo.
"""

import io
import json
import uuid

from django.core.files.images import ImageFile

from wagtail.images import get_image_model
from wagtail.models import Collection

from PIL import Image, ImageDraw

from courses.demo_content import T
from courses.models import CertificateTemplate

TEMPLATE_NAME = "Demo issuer (site-wide)"
ACCENT = "#1d5c63"
CONTACT = "certificates@example.org"
ISSUER = T(
    en="Evidence Academy — Demonstration Training Institute",
    fr="Evidence Academy — Institut de formation de démonstration",
    ar="أكاديمية الأدلة — معهد التدريب التجريبي",
)
SIGNATORIES = [
    (
        "Jane Example",
        T(
            en="Director of Training (demo signatory)",
            fr="Directrice de la formation (signataire de démonstration)",
            ar="مديرة التدريب (توقيع تجريبي)",
        ),
    ),
    (
        "Sam Specimen",
        T(
            en="Registrar of Certificates (demo signatory)",
            fr="Responsable des certificats (signataire de démonstration)",
            ar="مسجل الشهادات (توقيع تجريبي)",
        ),
    ),
]


def logo_png(size=192):
    """A neutral emblem in the accent colour: a ring around a tick. Drawn, not shipped."""
    scale = 4  # drawn large and scaled down, for smooth edges
    side = size * scale
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    colour = ACCENT
    ring = side // 12
    draw.ellipse((ring, ring, side - ring, side - ring), outline=colour, width=ring)
    inner = side // 4
    draw.ellipse((inner, inner, side - inner, side - inner), fill=colour)
    tick = [(0.38, 0.52), (0.47, 0.61), (0.64, 0.42)]
    draw.line(
        [(x * side, y * side) for x, y in tick], fill="white", width=side // 22, joint="curve"
    )
    buffer = io.BytesIO()
    image.resize((size, size), Image.LANCZOS).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def signatories_json(language):
    return json.dumps(
        [
            {
                "type": "signatory",
                "value": {"name": name, "title": getattr(title, language), "signature": None},
                "id": str(uuid.uuid4()),
            }
            for name, title in SIGNATORIES
        ]
    )


def ensure_certificate_template(locales, languages, created):
    """The site-wide template in English and its translations into ``languages``."""
    source = CertificateTemplate.objects.filter(
        name=TEMPLATE_NAME, locale=locales["en"], course=None
    ).first()
    if source is None:
        # Wagtail's migrations make the root collection; a flushed test database lacks it.
        collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
        logo = get_image_model().objects.create(
            collection=collection,
            title="Demo issuer logo",
            file=ImageFile(io.BytesIO(logo_png()), name="demo-issuer-logo.png"),
        )
        source = CertificateTemplate.objects.create(
            name=TEMPLATE_NAME,
            locale=locales["en"],
            issuer_name=ISSUER.en,
            issuer_email=CONTACT,
            logo=logo,
            accent_colour=ACCENT,
            signatories=signatories_json("en"),
        )
        created.append("certificate template")
    for language in languages:
        if source.get_translation_or_none(locales[language]) is None:
            translated = source.copy_for_translation(locales[language])
            translated.issuer_name = getattr(ISSUER, language)
            translated.signatories = signatories_json(language)
            translated.save()
            created.append(f"{language} certificate template")
    return source
