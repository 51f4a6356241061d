# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
"""Contains methods for accessing the API"""
