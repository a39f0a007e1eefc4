"""A fake beneficiary's phone for 待遇领取资格认证: the live photo its front camera would take.

A synthetic portrait drawn with Pillow (no real face, no personal data): a head, eyes and a mouth on
a plain background, JPEG like a phone's, the same bytes for the same arguments. The demo certifies
with it, the tests upload it, and samples/eligibility_live_photo.jpg is one of them (640 × 480)."""

import io

from PIL import Image, ImageDraw

SAMPLE_NAME = "eligibility_live_photo.jpg"


def live_photo(*, width: int = 640, height: int = 480, shade: int = 0) -> bytes:
    """A JPEG portrait `width` × `height`; `shade` (0-9) varies the colours between people."""
    background = (200 - shade * 8, 214, 228 - shade * 5)
    skin = (232 - shade * 6, 190 - shade * 4, 160 - shade * 3)
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    cx, cy, r = width // 2, height // 2, min(width, height) // 3
    draw.rectangle((cx - r, cy + r // 2, cx + r, height), fill=(60 + shade * 10, 80, 120))      # shoulders
    draw.ellipse((cx - r * 3 // 4, cy - r, cx + r * 3 // 4, cy + r * 3 // 4), fill=skin)        # head
    for dx in (-r // 3, r // 3):                                                                  # eyes
        draw.ellipse((cx + dx - r // 12, cy - r // 4 - r // 12, cx + dx + r // 12, cy - r // 4 + r // 12), fill=(40, 30, 30))
    draw.arc((cx - r // 3, cy, cx + r // 3, cy + r // 3), start=20, end=160, fill=(150, 60, 60), width=max(2, r // 30))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
