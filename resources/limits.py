"""What the library accepts and how much of a file it will read (hostile files included)."""

# Types a resource may carry, and the most each may weigh (bytes).
ALLOWED_EXTENSIONS = ("docx", "pptx", "pdf", "xlsx", "mp4")
MAX_SIZE = {
    "docx": 20 * 1024 * 1024,
    "pptx": 50 * 1024 * 1024,
    "pdf": 30 * 1024 * 1024,
    "xlsx": 10 * 1024 * 1024,
    "mp4": 300 * 1024 * 1024,
}
DEFAULT_MAX_SIZE = 20 * 1024 * 1024  # any other document type the site accepts

# Reading text out of a file for search: an Office file is a zip; refuse zip bombs.
MAX_ZIP_ENTRIES = 2_000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100  # uncompressed / compressed, per entry
MAX_PDF_PAGES = 300
MAX_TEXT_CHARS = 100_000  # kept per file
