"""The starter curriculum: YAML files in curriculum/, turned into pages by load_curriculum.

text.py renders the files' Markdown subset and citation markers, source.py reads a
language's files into page fields, check.py is the content check, loader.py writes pages.
See docs/curriculum.md.
"""
