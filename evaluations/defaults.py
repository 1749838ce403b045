"""The default questionnaire and report of an evaluation (seed 000), in the language of
the coordinator who opens it."""

from django.utils.translation import gettext_lazy

from .models import Question

Kind = Question.Kind
AGREEMENT = [
    gettext_lazy("Not at all"),
    gettext_lazy("A little"),
    gettext_lazy("Moderately"),
    gettext_lazy("Much"),
    gettext_lazy("Very much"),
]
QUALITY = [
    gettext_lazy("Very poor"),
    gettext_lazy("Poor"),
    gettext_lazy("Fair"),
    gettext_lazy("Good"),
    gettext_lazy("Very good"),
]

# The default questionnaire (seed 000): kind, prompt, options. Written in the
# language of the coordinator who opens the evaluation.
DEFAULT_QUESTIONS = [
    (Kind.SCALE, gettext_lazy("How useful was the weekly exchange for your service?"), AGREEMENT),
    (Kind.SCALE, gettext_lazy("How would you rate the ritual (agenda, info round, timeboxes)?"), QUALITY),
    (
        Kind.SINGLE,
        gettext_lazy("The length of the meeting was…"),
        [gettext_lazy("Too short"), gettext_lazy("Right"), gettext_lazy("Too long")],
    ),
    (
        Kind.SINGLE,
        gettext_lazy("Did the time slot suit your team?"),
        [gettext_lazy("Yes"), gettext_lazy("Sometimes"), gettext_lazy("No")],
    ),
    (Kind.SCALE, gettext_lazy("Did the cooperation needs raised converge into shared answers?"), AGREEMENT),
    (Kind.TEXT, gettext_lazy("What should be kept?"), []),
    (Kind.TEXT, gettext_lazy("What should be changed?"), []),
    (
        Kind.SINGLE,
        gettext_lazy("Should the exchange continue after the pilot?"),
        [gettext_lazy("Yes, as it is"), gettext_lazy("Yes, with changes"), gettext_lazy("No")],
    ),
    (
        Kind.MULTIPLE,
        gettext_lazy("If it continues, how?"),
        [
            gettext_lazy("Every week"),
            gettext_lazy("Every two weeks"),
            gettext_lazy("Every month"),
            gettext_lazy("By videoconference"),
            gettext_lazy("In person from time to time"),
            gettext_lazy("Open to other operators"),
        ],
    ),
]
DEFAULT_SECTIONS = [
    gettext_lazy("Context"),
    gettext_lazy("How it went"),
    gettext_lazy("Results"),
    gettext_lazy("What the operators take from it"),
    gettext_lazy("Recommendations"),
    gettext_lazy("What comes next"),
]
