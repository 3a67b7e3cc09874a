"""Signals the courses app sends. Other apps listen; courses never imports them.

course_completed
    Sent once when an enrolment first reaches completion (inside the transaction that
    marks it complete). Keyword arguments:

    user            the learner (accounts.User)
    teacher         the learner's TeacherProfile, or None (e.g. a parent)
    course_id       the CoursePage id
    course_title    str
    hours           Decimal, the course's credit hours (学时)
    counts_as_session  bool, whether completing it counts as one training session
    training_year   accounts.TrainingYear the hours count towards
    completion_id   a stable id of this completion (the enrolment pk); replays reuse it
    completed_at    aware datetime
"""

from django.dispatch import Signal

course_completed = Signal()
