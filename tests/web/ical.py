"""A small RFC 5545 reader for the tests: unfolds lines and returns the components."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Component:
    name: str
    properties: dict[str, list[tuple[str, str]]] = field(
        default_factory=dict
    )  # name -> [(params, value)]
    children: list[Component] = field(default_factory=list)

    def value(self, name: str) -> str:
        return self.properties[name][0][1]

    def text(self, name: str) -> str:
        return unescape(self.value(name))

    def walk(self, name: str) -> list[Component]:
        found = [self] if self.name == name else []
        for child in self.children:
            found.extend(child.walk(name))
        return found


def unescape(value: str) -> str:
    out, index = [], 0
    while index < len(value):
        character = value[index]
        if character == "\\" and index + 1 < len(value):
            following = value[index + 1]
            out.append("\n" if following in "nN" else following)
            index += 2
        else:
            out.append(character)
            index += 1
    return "".join(out)


def parse_calendar(data: bytes) -> Component:
    text = data.decode("utf-8")
    assert text.endswith("\r\n"), "content lines end with CRLF"
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert len(line.encode()) <= 75, f"line longer than 75 octets: {line!r}"
        assert "\n" not in line and "\r" not in line
    logical: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack: list[Component] = []
    root: Component | None = None
    for line in logical:
        name_part, _, value = line.partition(":")
        name, _, params = name_part.partition(";")
        if name == "BEGIN":
            component = Component(value)
            if stack:
                stack[-1].children.append(component)
            stack.append(component)
        elif name == "END":
            finished = stack.pop()
            assert finished.name == value, f"END:{value} closes {finished.name}"
            if not stack:
                root = finished
        else:
            assert stack, f"property outside a component: {line!r}"
            stack[-1].properties.setdefault(name, []).append((params, value))
    assert root is not None and not stack
    return root
