"""Type stubs of jiyu's extension module (the Rust library through PyO3)."""

import os
from typing import Dict, List, Optional, Sequence, TypedDict, Union

_PathLike = Union[str, os.PathLike[str]]

__version__: str

class JiyuError(Exception):
    """An error of jiyu: a rule file, model, dictionary or export it cannot use.

    ``str(error)`` is the message the ``jiyu`` command prints: ``file:line:column: what is
    wrong`` for a bad rule or a bad row of an export.
    """

class Evidence(TypedDict):
    """One matched word: the rule term (``model:WORD`` for the model's words), the text as the
    respondent wrote it and its character offsets in the answer."""

    term: str
    text: str
    start: int
    end: int

class Classified(TypedDict):
    """The fields of a line of ``jiyu classify``'s JSONL output that a text alone has."""

    question: str
    text: str
    categories: List[str]
    """Category ids, strongest first (``no-answer``, ``unclassified`` included); empty for a
    question no scheme sorts."""
    primary: Optional[str]
    confidence: Optional[float]
    """The probability that ``primary`` is right, three decimals; None without a scheme."""
    basis: str
    """``rules``, ``model``, ``default``, ``no-answer`` or ``none``."""
    evidence: Dict[str, List[Evidence]]
    """Per category, in the order of ``categories``, the words that made it match."""

class Token(TypedDict):
    """A token as ``jiyu tokenize`` prints it."""

    surface: str
    base: str
    pos: str
    reading: str
    negated: bool

class Classifier:
    """jiyu's analyzer, rules and model, loaded once. Thread-safe; reuse it for every call.

    ``rules``: a rules directory (one TOML scheme per file); None for the rules built into
    jiyu. ``model``: None for the model beside the rules (the built-in one for the built-in
    rules, ``DIR/model.json`` for a directory, if any), False for the rules alone, or a model
    file from ``jiyu train``. ``user_dict``: one or more extra user dictionaries (CSV rows
    ``surface,part of speech,reading``).

    Raises :class:`JiyuError` with the command's message (``file:line:column: …``) when a rule
    file, the model or a dictionary cannot be used.
    """

    def __init__(
        self,
        rules: Optional[_PathLike] = None,
        model: Union[None, bool, _PathLike] = None,
        user_dict: Union[None, _PathLike, Sequence[_PathLike]] = None,
    ) -> None: ...
    def classify(self, text: str, question: str) -> Classified:
        """The categories of ``text`` as an answer to ``question``, as ``jiyu classify`` gives
        them."""
    def classify_many(self, texts: Sequence[str], questions: Union[str, Sequence[str]]) -> List[Classified]:
        """``classify`` for every text, in order, on all cores with the GIL released.
        ``questions``: one question for all texts, or one per text."""
    def tokenize(self, text: str) -> List[Token]:
        """The tokens of ``text`` as ``jiyu tokenize`` prints them."""
    def explain(self, text: str, question: str) -> str:
        """The text ``jiyu explain --question QUESTION TEXT`` prints: the tokens, the categories
        and basis, then every rule of the question's scheme with the parts that matched and,
        with a model, the model's view."""
    @property
    def rules_origin(self) -> str:
        """Where the rules come from (a directory, or the built-in rules)."""
    @property
    def has_model(self) -> bool:
        """Whether a learned model settles the primary category."""
    @property
    def questions(self) -> List[str]:
        """The questions the rules' schemes sort."""

def read_export_columns(
    path: _PathLike,
    id_column: Optional[str] = None,
    text_columns: Optional[Sequence[str]] = None,
    question_column: Optional[str] = None,
    text_column: Optional[str] = None,
    format: Optional[str] = None,
    encoding: Optional[str] = None,
    sheet: Optional[str] = None,
) -> Dict[str, List[Optional[str]]]:
    """The answers of an export as columns (id, question, text, then the attributes); see
    :func:`jiyu.read_export`."""
