"""The tag structure of a PDF (its StructTreeRoot), read with pypdf, as plain nested data."""

from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject


@dataclass
class Node:
    """One structure element: its type (/S), its attributes and its element children; the
    marked content and object references below it are counted, not kept."""

    role: str
    title: str = ""
    alt: str = ""
    contents: str = ""
    children: list["Node"] = field(default_factory=list)
    content_items: int = 0

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def outline(self, depth: int = 0) -> str:
        """An indented listing, for failure messages and upstream reports."""
        line = "  " * depth + self.role + (f" ({self.contents})" if self.contents else "")
        return "\n".join([line, *(c.outline(depth + 1) for c in self.children)])


def _kids(value) -> list:
    value = value.get_object() if value is not None else None
    if value is None:
        return []
    return list(value) if isinstance(value, ArrayObject) else [value]


def _node(element: DictionaryObject) -> Node:
    node = Node(
        role=str(element.get("/S", "")).lstrip("/"),
        title=str(element.get("/T", "")),
        alt=str(element.get("/Alt", "")),
    )
    for kid in _kids(element.get("/K")):
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, DictionaryObject) and "/S" in kid:
            node.children.append(_node(kid))
        else:
            node.content_items += 1
            if isinstance(kid, DictionaryObject) and kid.get("/Type") == "/OBJR":
                annotation = kid["/Obj"].get_object()
                node.contents = node.contents or str(annotation.get("/Contents", ""))
    return node


def structure(reader: PdfReader) -> Node:
    """The document's structure tree, from its root."""
    root = reader.trailer["/Root"]["/StructTreeRoot"]
    tree = Node(role="StructTreeRoot")
    for kid in _kids(root.get("/K")):
        tree.children.append(_node(kid.get_object()))
    return tree


def parents_of(tree: Node, role: str) -> list[tuple[Node, Node]]:
    """Every (parent, element) pair whose element has this role."""
    return [
        (parent, child) for parent in tree.walk() for child in parent.children if child.role == role
    ]
