"""Finding web markup hidden in an upload (an image/HTML polyglot: a picture that decodes, with a
page and its script in a comment segment or after the image data).

A browser that rendered such a file as a page would run the script. We serve every upload as an
attachment with its detected type and `nosniff`, so it is never rendered; this scan refuses the
file as well, so no copy of it (an export, a forwarded attachment) carries the page onward.
Only signatures of at least six significant bytes are searched: in 20 MB of compressed image data
(near-random bytes) a false match is expected in about one file in fifty thousand, one in a
million for a 1 MB photo (and re-saving the picture changes its bytes), where a shorter one such
as "<svg" would match about one 20 MB file in a thousand.
"""

import re

# Matched against lower-cased bytes (bytes.lower() is ASCII-only and several times faster than
# re.IGNORECASE): about 0.1 s for 20 MB.
MARKUP = re.compile(rb"<(?:script|iframe|object|!doctype|(?:html|body|embed|frameset)[\s/>])"
                    rb"|javascript:|on(?:error|load)\s*=")
BLOCK = 1 << 20
OVERLAP = 32  # longer than any signature: a match across two blocks is still found


def markup_found(fileobj) -> bool:
    """Whether the file contains an HTML tag or an inline script handler; reads in blocks."""
    tail = b""
    try:
        fileobj.seek(0)
        while block := fileobj.read(BLOCK):
            window = tail + block.lower()
            if MARKUP.search(window):
                return True
            tail = window[-OVERLAP:]
        return False
    finally:
        fileobj.seek(0)
