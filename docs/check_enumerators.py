#!/usr/bin/env python3
"""Fails, naming each one, when an enumerator in the API reference has no documentation.

Doxygen's WARN_IF_UNDOCUMENTED covers classes, functions, variables and enums, but not the enumerators of
an enum. This reads Doxygen's XML output (GENERATE_XML in docs/Doxyfile.in) and reports each undocumented
enumerator in Doxygen's own message format, at the enum's location.

usage: check_enumerators.py <Doxygen's xml directory>
"""
import pathlib
import sys
import xml.etree.ElementTree as ET


def text(element):
    return "".join(element.itertext()).strip() if element is not None else ""


def main():
    if len(sys.argv) != 2 or not pathlib.Path(sys.argv[1]).is_dir():
        sys.exit("usage: check_enumerators.py <Doxygen's xml directory>")
    problems = set()
    for path in sorted(pathlib.Path(sys.argv[1]).glob("*.xml")):
        if path.name in ("index.xml", "Doxyfile.xml"):
            continue
        for compound in ET.parse(path).getroot().iter("compounddef"):
            scope = text(compound.find("compoundname"))
            for enum in compound.iter("memberdef"):
                if enum.get("kind") != "enum":
                    continue
                location = enum.find("location")
                where = f"{location.get('file')}:{location.get('line')}" if location is not None else path.name
                for value in enum.findall("enumvalue"):
                    if text(value.find("briefdescription")) or text(value.find("detaileddescription")):
                        continue
                    problems.add(f"{where}: error: Enumerator {text(value.find('name'))} of enum "
                                 f"{scope}::{text(enum.find('name'))} is not documented.")
    for problem in sorted(problems):
        print(problem, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
