"""Sized image renditions for lessons and course cards: WebP with a JPEG or PNG fallback, at a
few widths."""

from dataclasses import dataclass
from pathlib import PurePosixPath

from wagtail.images.shortcuts import get_renditions_or_not_found

# A lesson column is at most 40rem (640 CSS pixels): 480 for small phones, 800 and 1200 for
# the column on screens of density 1.25 to 2. Larger files would only cost learners data.
WIDTHS = (480, 800, 1200)
# What the column measures, so the browser picks a width before any CSS arrives.
SIZES = "(max-width: 42rem) calc(100vw - 2rem), 40rem"
# PNG keeps transparency and sharp edges (diagrams, screenshots); everything else is a photo.
LOSSLESS_ORIGINALS = {".png", ".gif"}


@dataclass(frozen=True)
class ResponsivePicture:
    """The renditions one <picture> needs, smallest first, in WebP and in the fallback format."""

    webp: list
    fallback: list
    sizes: str = SIZES
    default_rendition: object = None

    @staticmethod
    def srcset(renditions):
        return ", ".join(f"{rendition.url} {rendition.width}w" for rendition in renditions)

    @property
    def webp_srcset(self):
        return self.srcset(self.webp)

    @property
    def fallback_srcset(self):
        return self.srcset(self.fallback)

    @property
    def default(self):
        """The fallback closest to the column's width: the src, and the width and height that
        reserve the image's space before it loads."""
        if self.default_rendition is not None:
            return self.default_rendition
        fitting = [r for r in self.fallback if r.width <= WIDTHS[1]]
        return fitting[-1] if fitting else self.fallback[0]


def widths_for(original_width):
    """The widths to offer, never wider than the original (Wagtail does not upscale, and two
    candidates of the same width would be invalid in a srcset)."""
    largest = min(original_width, WIDTHS[-1])
    return [width for width in WIDTHS if width < largest] + [largest]


def fallback_format(image):
    """PNG for originals with transparency or sharp edges, JPEG for photos."""
    suffix = PurePosixPath(image.file.name).suffix.lower()
    return "png" if suffix in LOSSLESS_ORIGINALS else "jpeg"


def responsive_picture(image):
    """Renditions of a Wagtail image for a lesson column, or None when there is no image."""
    if image is None:
        return None
    fallback = fallback_format(image)
    widths = widths_for(image.width)
    specs = [f"width-{width}|format-{kind}" for kind in ("webp", fallback) for width in widths]
    renditions = get_renditions_or_not_found(image, specs)
    return ResponsivePicture(
        webp=[renditions[f"width-{width}|format-webp"] for width in widths],
        fallback=[renditions[f"width-{width}|format-{fallback}"] for width in widths],
    )


# A course card's cover: 16:9, cropped to fill. Cards are one column on phones and about 20rem
# wide on larger screens: 320 and 640 pixels cover both at densities 1 to 2.
CARD_WIDTHS = (320, 640)
CARD_RATIO = (16, 9)
CARD_SIZES = "(max-width: 42rem) calc(100vw - 2rem), 20rem"


def card_picture(image):
    """16:9 renditions of a course's cover for its card, or None when there is no image."""
    if image is None:
        return None
    fallback = fallback_format(image)
    # Never wider than the largest 16:9 crop of the original: Wagtail does not upscale.
    largest = min(image.width, image.height * CARD_RATIO[0] // CARD_RATIO[1], CARD_WIDTHS[-1])
    widths = [width for width in CARD_WIDTHS if width < largest] + [largest]
    sizes = [(width, width * CARD_RATIO[1] // CARD_RATIO[0]) for width in widths]
    specs = {
        kind: [f"fill-{width}x{height}|format-{kind}" for width, height in sizes]
        for kind in ("webp", fallback)
    }
    renditions = get_renditions_or_not_found(image, specs["webp"] + specs[fallback])
    fallbacks = [renditions[spec] for spec in specs[fallback]]
    return ResponsivePicture(
        webp=[renditions[spec] for spec in specs["webp"]],
        fallback=fallbacks,
        sizes=CARD_SIZES,
        # The smaller one: the width and height attributes only reserve the 16:9 space.
        default_rendition=fallbacks[0],
    )
