"""Exports of records: CSV tables, data dictionary, evidence, JSON-LD and REDCap files.

Pure functions over records already read from the project; `services.export` reads
the project and writes the files.
"""
