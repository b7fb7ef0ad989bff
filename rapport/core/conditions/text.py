"""The text form of conditions: a parser and a printer that round-trip.

    status = "new" and created_at older_than 1d and count(activities where kind = "call") < 5

Hand-written (a small recursive-descent parser) rather than a parser library: the grammar is a
dozen rules, and errors must name the offset of the offending word, which is simplest to do here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rapport.core.conditions.ast import (
    COMPARISONS,
    AllOf,
    AnyOf,
    Compare,
    ConditionError,
    Count,
    Duration,
    Exists,
    FieldRef,
    Node,
    Not,
)

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<duration>\d+[mhdw])(?![A-Za-z0-9_])
  | (?P<number>-?\d+(?:\.\d+)?)(?![A-Za-z0-9_])
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<op><=|>=|!=|=|<|>)
  | (?P<punct>[()\[\],])
    """,
    re.VERBOSE,
)
KEYWORDS = {
    "and", "or", "not", "is", "empty", "in", "contains", "starts", "with", "older_than",
    "within", "before", "after", "count", "exists", "where", "true", "false",
}  # fmt: skip


@dataclass(frozen=True)
class Token:
    kind: str  # string, duration, number, name, keyword, op, punct, end
    text: str
    position: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ConditionError(f"Unexpected character “{text[position]}”.", position, text)
        kind = match.lastgroup or ""
        if kind != "space":
            word = match.group()
            if kind == "name" and word in KEYWORDS:
                kind = "keyword"
            tokens.append(Token(kind, word, position))
        position = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def error(self, message: str, token: Token | None = None) -> ConditionError:
        token = token or self.current
        return ConditionError(message, token.position, self.text)

    def advance(self) -> Token:
        token = self.current
        self.index += 1
        return token

    def accept(self, *words: str) -> Token | None:
        token = self.current
        if token.kind in ("keyword", "punct", "op") and token.text in words:
            return self.advance()
        return None

    def expect(self, word: str) -> Token:
        token = self.accept(word)
        if token is None:
            found = self.current.text or "the end"
            raise self.error(f"Expected “{word}” but found “{found}”.")
        return token

    def parse(self) -> Node:
        if self.current.kind == "end":
            raise self.error("The condition is empty.")
        node = self.parse_or()
        if self.current.kind != "end":
            raise self.error(f"Unexpected “{self.current.text}”: expected and, or or the end.")
        return node

    def parse_or(self) -> Node:
        start = self.current.position
        items = [self.parse_and()]
        while self.accept("or"):
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else AnyOf(tuple(items), position=start)

    def parse_and(self) -> Node:
        start = self.current.position
        items = [self.parse_unary()]
        while self.accept("and"):
            items.append(self.parse_unary())
        return items[0] if len(items) == 1 else AllOf(tuple(items), position=start)

    def parse_unary(self) -> Node:
        token = self.accept("not")
        if token is not None:
            return Not(self.parse_unary(), position=token.position)
        return self.parse_primary()

    def parse_primary(self) -> Node:
        token = self.current
        if self.accept("("):
            node = self.parse_or()
            self.expect(")")
            return node
        if self.accept("count", "exists"):
            self.expect("(")
            relation = self.advance()
            if relation.kind != "name":
                raise self.error("Expected the name of a relation, e.g. activities.", relation)
            where = self.parse_or() if self.accept("where") else None
            self.expect(")")
            if token.text == "exists":
                return Exists(relation.text, where, position=token.position)
            op = self.advance()
            if op.kind != "op":
                raise self.error("A count compares with = != < <= > or >=.", op)
            number = self.advance()
            if number.kind != "number" or not re.fullmatch(r"-?\d+", number.text):
                raise self.error("A count compares with a whole number.", number)
            return Count(relation.text, where, op.text, int(number.text), position=token.position)
        if token.kind != "name":
            raise self.error(f"Expected a field name but found “{token.text or 'the end'}”.")
        self.advance()
        return self.parse_predicate(token)

    def parse_predicate(self, name: Token) -> Node:
        at = name.position
        field = name.text
        op = self.current
        if op.kind == "op":
            self.advance()
            return Compare(field, op.text, self.parse_scalar(allow_field=True), position=at)
        if self.accept("is"):
            negated = self.accept("not") is not None
            self.expect("empty")
            return Compare(field, "is_not_empty" if negated else "is_empty", position=at)
        if self.accept("not"):
            self.expect("in")
            return Compare(field, "not_in", self.parse_list(), position=at)
        if self.accept("in"):
            return Compare(field, "in", self.parse_list(), position=at)
        if self.accept("contains"):
            return Compare(field, "contains", self.parse_scalar(), position=at)
        if self.accept("starts"):
            self.expect("with")
            return Compare(field, "starts_with", self.parse_scalar(), position=at)
        word = self.accept("older_than", "within")
        if word is not None:
            value = self.advance()
            if value.kind != "duration":
                raise self.error("Expected a duration such as 30m, 2h, 3d or 1w.", value)
            return Compare(field, word.text, Duration.parse(value.text), position=at)
        word = self.accept("before", "after")
        if word is not None:
            return Compare(field, word.text, self.parse_scalar(allow_field=True), position=at)
        found = op.text or "the end"
        raise self.error(f"Expected an operator after {field} but found “{found}”.", op)

    def parse_list(self) -> tuple[Any, ...]:
        self.expect("[")
        items = [self.parse_scalar()]
        while self.accept(","):
            items.append(self.parse_scalar())
        self.expect("]")
        return tuple(items)

    def parse_scalar(self, allow_field: bool = False) -> Any:
        token = self.advance()
        if token.kind == "string":
            try:
                return str(json.loads(token.text))
            except json.JSONDecodeError:
                raise self.error("This text is not a valid quoted string.", token) from None
        if token.kind == "number":
            return int(token.text) if "." not in token.text else Decimal(token.text)
        if token.kind == "keyword" and token.text in ("true", "false"):
            return token.text == "true"
        if token.kind == "name" and allow_field:
            return FieldRef(token.text)
        raise self.error(f"Expected a value but found “{token.text or 'the end'}”.", token)


def parse_text(text: str) -> Node:
    """Read the text form (ConditionError with the position of the problem when it cannot)."""
    return _Parser(text).parse()


# The printer ------------------------------------------------------------------------------------


def _scalar(value: Any) -> str:
    if isinstance(value, FieldRef):
        return value.field
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _grouped(node: Node) -> str:
    text = to_text(node)
    return f"({text})" if isinstance(node, AllOf | AnyOf) else text


def to_text(node: Node) -> str:
    """The text form of a condition; parse_text(to_text(c)) == c."""
    if isinstance(node, AllOf):
        return " and ".join(_grouped(item) for item in node.items)
    if isinstance(node, AnyOf):
        return " or ".join(_grouped(item) for item in node.items)
    if isinstance(node, Not):
        return f"not {_grouped(node.item)}"
    if isinstance(node, Count | Exists):
        inner = node.relation + (f" where {to_text(node.where)}" if node.where else "")
        if isinstance(node, Exists):
            return f"exists({inner})"
        return f"count({inner}) {node.op} {node.value}"
    assert isinstance(node, Compare)
    if node.op in COMPARISONS:
        return f"{node.field} {node.op} {_scalar(node.value)}"
    if node.op in ("is_empty", "is_not_empty"):
        return f"{node.field} is {'not ' if node.op == 'is_not_empty' else ''}empty"
    if node.op in ("in", "not_in"):
        assert isinstance(node.value, tuple)
        listed = ", ".join(_scalar(item) for item in node.value)
        return f"{node.field} {'not in' if node.op == 'not_in' else 'in'} [{listed}]"
    if node.op == "starts_with":
        return f"{node.field} starts with {_scalar(node.value)}"
    if node.op in ("older_than", "within"):
        return f"{node.field} {node.op} {node.value}"
    return f"{node.field} {node.op} {_scalar(node.value)}"
