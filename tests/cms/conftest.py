# The course fixtures (a catalogue, a two-lesson course with a quiz) for the site-wide tests here.
from tests.courses.conftest import catalogue, course, quiz  # noqa: F401
