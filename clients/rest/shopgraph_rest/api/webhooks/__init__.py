# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
"""Contains endpoint functions for accessing the API"""
